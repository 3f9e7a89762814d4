-- Item vectors from the embedding endpoint, by model and text hash, so a
-- restart does not embed the catalogue again. vec is base64 of
-- little-endian float32s (portable text on both engines).
CREATE TABLE search_vectors (
    model      TEXT NOT NULL,
    hash       TEXT NOT NULL,
    dims       INTEGER NOT NULL,
    vec        TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (model, hash)
);
