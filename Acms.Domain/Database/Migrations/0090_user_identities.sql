-- Sign-in identities: which ACMS user a Microsoft Entra ID principal is. Filled on a principal's first request, when it
-- matched exactly one active user by e-mail or username (matched_by), or by an administrator (matched_by 'manual').
-- Keyed by the Entra object id, which stays when a person's e-mail changes. Additive only: no foreign key either, so
-- nothing about the ACMS users table changes (a link to a deleted user simply matches nothing).
CREATE TABLE IF NOT EXISTS user_identities (
    object_id  VARCHAR(64) PRIMARY KEY,
    tenant_id  VARCHAR(64),
    user_id    UUID NOT NULL,
    matched_by VARCHAR(16) NOT NULL CHECK (matched_by IN ('email', 'username', 'manual')),
    linked_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS ix_user_identities_user_id ON user_identities (user_id);
