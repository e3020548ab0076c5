import type { DemoParams, DemoDeal } from './simulate.ts';
import type { DemoCustomer } from './world.ts';

/** What the simulation produced, for writers of the other landing formats (CRM, chat exports). */
export interface DemoWorld {
  readonly params: DemoParams;
  readonly customers: readonly DemoCustomer[];
  readonly deals: readonly DemoDeal[];
}

/** Writes one landing format from the simulated world; returns the files it wrote. */
export interface DemoWriter {
  readonly name: string;
  write(world: DemoWorld, landingDir: string): string[];
}
