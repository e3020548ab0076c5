import { describe, expect, it } from 'vitest';
import { loadModels } from '../../warehouse/model-files.ts';
import { messagesBuildModels } from '../../warehouse/messages-build.ts';

describe('the fast build after webhook deliveries', () => {
  const selected = messagesBuildModels(loadModels());

  it('builds marts.fct_messages and the staging models that carry payloads to it', () => {
    for (const id of ['staging.stg_whatsapp_messages', 'staging.stg_whatsapp_statuses', 'staging.stg_messages', 'staging.int_message_text', 'staging.int_customer_phones', 'marts.fct_messages']) {
      expect(selected).toContain(id);
    }
  });

  it('builds no other mart', () => {
    expect(selected.filter((id) => id.startsWith('marts.'))).toEqual(['marts.fct_messages']);
  });
});
