-- chat.sqlite of the user alice, as p2pchat wrote it before the friends' and messages' tables
-- moved from the core into their parts (commit 31929e0). Written out as SQL, not as a binary
-- file, so that a change to it can be read in review.
--
-- The schema part is every migration that version had, with GRDB's record of it, in the order that
-- version applied them (the core's six, then the parts' in registration order); each statement is
-- the one its migration executed, copied from that version's sources. The data part is written as
-- that version's store wrote it (times in Unix milliseconds, enums as their raw values).
--
-- Never edit this file: it stands for files users have on disk. A later schema change is tested by
-- a new fixture.

CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);

-- migration contacts
CREATE TABLE contacts (
    id TEXT NOT NULL PRIMARY KEY,
    fingerprint TEXT NOT NULL
        CHECK (length(fingerprint) = 64 AND fingerprint NOT GLOB '*[^0-9a-f]*'),
    added_at INTEGER NOT NULL
);
INSERT INTO grdb_migrations (identifier) VALUES ('contacts');

-- migration friendRequests
CREATE TABLE friend_requests (
    peer TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
    fingerprint TEXT NOT NULL
        CHECK (length(fingerprint) = 64 AND fingerprint NOT GLOB '*[^0-9a-f]*'),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (peer, direction)
);
INSERT INTO grdb_migrations (identifier) VALUES ('friendRequests');

-- migration messages
CREATE TABLE messages (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    conversation TEXT NOT NULL,
    sender TEXT NOT NULL,
    recipient TEXT NOT NULL,
    body TEXT NOT NULL,
    sent_at INTEGER NOT NULL,
    stored_at INTEGER NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
    delivery TEXT CHECK (delivery IN ('queued', 'delivered')),
    is_read INTEGER NOT NULL DEFAULT 0 CHECK (is_read IN (0, 1)),
    UNIQUE (sender, id)
);
CREATE INDEX messages_by_conversation ON messages (conversation, stored_at, seq);
CREATE INDEX messages_unread ON messages (conversation) WHERE is_read = 0;
INSERT INTO grdb_migrations (identifier) VALUES ('messages');

-- migration messagesFullText
CREATE VIRTUAL TABLE messages_fts USING fts5(
    body,
    content = 'messages',
    content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, body) VALUES (new.seq, new.body);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.seq, old.body);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.seq, old.body);
    INSERT INTO messages_fts (rowid, body) VALUES (new.seq, new.body);
END;
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
INSERT INTO grdb_migrations (identifier) VALUES ('messagesFullText');

-- migration outbox
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY,
    message_seq INTEGER NOT NULL REFERENCES messages (seq) ON DELETE CASCADE,
    message_id TEXT NOT NULL,
    peer TEXT NOT NULL,
    payload BLOB NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    last_attempt_at INTEGER,
    UNIQUE (message_id, peer)
);
CREATE INDEX outbox_by_peer ON outbox (peer, created_at, seq);
CREATE INDEX outbox_by_message ON outbox (message_seq);
INSERT INTO grdb_migrations (identifier) VALUES ('outbox');

-- migration rejectedRequests
CREATE TABLE rejected_requests (
    peer TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    rejected_at INTEGER NOT NULL
);
INSERT INTO grdb_migrations (identifier) VALUES ('rejectedRequests');

-- migration queuedFriendRequests
CREATE TABLE queued_friend_requests (
    peer TEXT NOT NULL PRIMARY KEY,
    created_at INTEGER NOT NULL
);
INSERT INTO grdb_migrations (identifier) VALUES ('queuedFriendRequests');

-- migration messageActions
ALTER TABLE messages ADD COLUMN is_action INTEGER NOT NULL DEFAULT 0 CHECK (is_action IN (0, 1));
INSERT INTO grdb_migrations (identifier) VALUES ('messageActions');

-- migration transfers
CREATE TABLE transfers (
    number INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL,
    peer TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
    name TEXT NOT NULL,
    size INTEGER NOT NULL CHECK (size >= 0),
    state TEXT NOT NULL CHECK (state IN
        ('offered', 'waiting', 'sending', 'receiving', 'paused', 'done', 'declined', 'cancelled', 'failed')),
    bytes INTEGER NOT NULL DEFAULT 0,
    path TEXT,
    source_mtime INTEGER,
    sha256 TEXT,
    reason TEXT,
    created_at INTEGER NOT NULL,
    UNIQUE (peer, direction, id)
);
CREATE INDEX transfers_by_state ON transfers (state);
INSERT INTO grdb_migrations (identifier) VALUES ('transfers');

-- migration transferOutcomesToTell
ALTER TABLE transfers ADD COLUMN outcome_untold INTEGER NOT NULL DEFAULT 0;
INSERT INTO grdb_migrations (identifier) VALUES ('transferOutcomesToTell');

-- migration transferRestarts
ALTER TABLE transfers ADD COLUMN restarted INTEGER NOT NULL DEFAULT 0;
INSERT INTO grdb_migrations (identifier) VALUES ('transferRestarts');

-- migration groups
CREATE TABLE groups (
    id TEXT NOT NULL PRIMARY KEY CHECK (length(id) = 32 AND id NOT GLOB '*[^0-9a-f]*'),
    name TEXT NOT NULL,
    owner TEXT,
    version INTEGER NOT NULL CHECK (version >= 1),
    created_at INTEGER NOT NULL
);
CREATE TABLE group_peers (
    group_id TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    peer TEXT NOT NULL,
    fingerprint TEXT NOT NULL
        CHECK (length(fingerprint) = 64 AND fingerprint NOT GLOB '*[^0-9a-f]*'),
    position INTEGER NOT NULL,
    is_member INTEGER NOT NULL CHECK (is_member IN (0, 1)),
    removed_version INTEGER NOT NULL DEFAULT 0,
    known_version INTEGER NOT NULL DEFAULT 0,
    next_seq_out INTEGER NOT NULL DEFAULT 1,
    last_seq_in INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (group_id, peer)
);
CREATE INDEX group_peers_by_peer ON group_peers (peer);
INSERT INTO grdb_migrations (identifier) VALUES ('groups');

-- migration groupSignatures
ALTER TABLE groups ADD COLUMN signer TEXT;
ALTER TABLE groups ADD COLUMN signer_key TEXT;
ALTER TABLE groups ADD COLUMN signature TEXT;
INSERT INTO grdb_migrations (identifier) VALUES ('groupSignatures');

-- migration groupsLeftAt
ALTER TABLE groups ADD COLUMN left_at INTEGER;
INSERT INTO grdb_migrations (identifier) VALUES ('groupsLeftAt');
-- data
-- bob and carol are friends; dave asked to be one; alice asked erin; alice rejected mallory.
INSERT INTO contacts (id, fingerprint, added_at) VALUES ('bob', 'b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2', 1700000000000);
INSERT INTO contacts (id, fingerprint, added_at) VALUES ('carol', 'c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3', 1700000001000);
INSERT INTO friend_requests (peer, direction, fingerprint, created_at) VALUES ('dave', 'incoming', 'd4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4', 1700000002000);
INSERT INTO friend_requests (peer, direction, fingerprint, created_at) VALUES ('erin', 'outgoing', 'e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5', 1700000003000);
INSERT INTO rejected_requests (peer, fingerprint, rejected_at) VALUES ('mallory', 'f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6f6', 1700000004000);
INSERT INTO queued_friend_requests (peer, created_at) VALUES ('frank', 1700000005000);

-- a conversation with bob: one message read, one not, one sent and acknowledged, one /me action
-- still waiting in the outbox.
INSERT INTO messages (id, conversation, sender, recipient, body, sent_at, stored_at, direction, delivery, is_read, is_action)
    VALUES ('m1', 'bob', 'bob', 'alice', 'hello from the café', 1700000010000, 1700000010000, 'incoming', NULL, 1, 0);
INSERT INTO messages (id, conversation, sender, recipient, body, sent_at, stored_at, direction, delivery, is_read, is_action)
    VALUES ('m2', 'bob', 'alice', 'bob', 'hi bob', 1700000011000, 1700000011000, 'outgoing', 'delivered', 1, 0);
INSERT INTO messages (id, conversation, sender, recipient, body, sent_at, stored_at, direction, delivery, is_read, is_action)
    VALUES ('m3', 'bob', 'bob', 'alice', 'are you there?', 1700000012000, 1700000012000, 'incoming', NULL, 0, 0);
INSERT INTO messages (id, conversation, sender, recipient, body, sent_at, stored_at, direction, delivery, is_read, is_action)
    VALUES ('m4', 'bob', 'alice', 'bob', 'waves', 1700000013000, 1700000013000, 'outgoing', 'queued', 1, 1);
INSERT INTO outbox (message_seq, message_id, peer, payload, attempts, created_at, last_attempt_at)
    VALUES ((SELECT seq FROM messages WHERE sender = 'alice' AND id = 'm4'), 'm4', 'bob', X'7b7d', 2, 1700000013000, 1700000014000);
