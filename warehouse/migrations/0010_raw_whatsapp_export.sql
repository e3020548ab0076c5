-- Raw layer of the whatsapp-export source: one row per message parsed from a WhatsApp
-- "Export chat" .txt file. Exports are rewritten, not appended to, so a changed file is read
-- whole again and its old messages land again: staging dedupes them by message_id.
-- System lines (encryption notice, group events, deleted messages, calls) are counted in the
-- run's details, not stored here.
create table raw.whatsapp_export_messages (
    load_id bigint not null,
    source_file varchar not null,
    -- first line of the message in the file and how many lines it spans
    line_no bigint not null,
    line_count integer not null,
    -- the chat: 'wx-' and a hash of its title (from the file or folder name WhatsApp gives)
    chat_id varchar not null,
    chat_title varchar not null,
    -- deterministic: chat, minute, author, content and ordinal, the same in every export of the chat
    message_id varchar not null,
    -- the wall-clock time as written, the timezone it was read in, and the instant
    sent_local timestamp not null,
    tz varchar not null,
    sent_at timestamptz not null,
    author varchar not null,
    is_business boolean not null,
    -- 'export:agent-<hash>' of the business name, null for customers
    agent_id varchar,
    -- the customer thread: E.164 when the export shows a number, else 'export:<hash>' of the name
    customer_e164 varchar not null,
    customer_name varchar not null,
    -- message or media; message_type: text, location, or the media type (image, video, audio, sticker, gif, document, contact, media)
    kind varchar not null,
    message_type varchar not null,
    -- the text as written (direction marks removed, lines joined with \n)
    text varchar not null,
    caption varchar,
    media_file varchar,
    is_edited boolean not null,
    date_order varchar not null,
    file_sha256 varchar not null,
);
