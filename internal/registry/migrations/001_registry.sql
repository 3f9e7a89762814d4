-- 人口库 and 法人库: one row a person or an enterprise. Names (of
-- persons), ID numbers, phones and addresses are kept masked for display
-- and sealed for the staff who must open them (every opening is in the
-- audit log); the attributes conditions read are plain JSON.
CREATE TABLE registry_profiles (
    id             TEXT PRIMARY KEY,
    kind           TEXT NOT NULL,               -- person / enterprise
    key_fp         TEXT NOT NULL UNIQUE,        -- keyed fingerprint of the natural key (ID number, USCC or source id)
    name_masked    TEXT NOT NULL DEFAULT '',
    name_sealed    TEXT NOT NULL DEFAULT '',
    idno_masked    TEXT NOT NULL DEFAULT '',    -- ID number (masked) or USCC (public, in full)
    idno_sealed    TEXT NOT NULL DEFAULT '',
    phone_masked   TEXT NOT NULL DEFAULT '',
    phone_sealed   TEXT NOT NULL DEFAULT '',
    address_masked TEXT NOT NULL DEFAULT '',
    address_sealed TEXT NOT NULL DEFAULT '',
    street         TEXT NOT NULL DEFAULT '',
    community      TEXT NOT NULL DEFAULT '',
    fields         TEXT NOT NULL DEFAULT '{}',
    row_hash       TEXT NOT NULL,               -- keyed fingerprint of the whole row: re-import skips unchanged rows
    source         TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX registry_profiles_kind ON registry_profiles (kind, street, community);
