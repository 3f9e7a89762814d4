-- Login attempts counted per account and address (ip = the client
-- address) and per address alone (username = ''), within a window that
-- starts at the first attempt. Shared by replicas, and cleared from the
-- command line (fuwu user unlock).
CREATE TABLE auth_login_attempts (
    username    TEXT NOT NULL,
    ip          TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (username, ip)
);
