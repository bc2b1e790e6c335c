-- auth-service: tenants, users, sessions, signing keys, API keys, service instances,
-- organizations and the audit log. Ids that clients see in seeds 002/003 as integers are BIGSERIAL.

CREATE TABLE tenants (
    id         TEXT        PRIMARY KEY,
    domain     TEXT        NOT NULL UNIQUE,
    name       TEXT        NOT NULL,
    plan       TEXT        NOT NULL CHECK (plan IN ('free', 'pro', 'enterprise')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id             BIGSERIAL   PRIMARY KEY,
    tenant_id      TEXT        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    username       TEXT        NOT NULL,
    email          TEXT,
    name           TEXT        NOT NULL DEFAULT '',
    first_name     TEXT        NOT NULL DEFAULT '',
    last_name      TEXT        NOT NULL DEFAULT '',
    -- NULL: the user cannot log in with a password (seed 001 users get tokens from /auth/token).
    password_hash  TEXT,
    role           TEXT        NOT NULL,
    platform_admin BOOLEAN     NOT NULL DEFAULT false,
    permissions    TEXT[]      NOT NULL DEFAULT '{}',
    preferences    JSONB       NOT NULL DEFAULT '{}',
    is_active      BOOLEAN     NOT NULL DEFAULT true,
    last_login     TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX users_tenant_username ON users (tenant_id, lower(username));
CREATE UNIQUE INDEX users_tenant_email ON users (tenant_id, lower(email));
-- Seed 002 logs in by e-mail alone, across tenants.
CREATE INDEX users_email ON users (lower(email));

-- Refresh tokens: opaque, stored as SHA-256; one family per login session, rotated on every use.
CREATE TABLE refresh_tokens (
    token_hash TEXT        PRIMARY KEY,
    family_id  UUID        NOT NULL,
    user_id    BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tenant_id  TEXT        NOT NULL,
    issued_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL,
    rotated_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ
);

CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_expiry ON refresh_tokens (expires_at);

-- JWT signing keys. The private key is AES-256-GCM encrypted under CUMULUS_AUTH_MASTER_KEY.
CREATE TABLE signing_keys (
    kid         TEXT        PRIMARY KEY,
    algorithm   TEXT        NOT NULL,
    public_key  BYTEA       NOT NULL,
    private_key BYTEA       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    retired_at  TIMESTAMPTZ,
    -- After this instant no token signed by the key can still be valid: it leaves the JWKS.
    not_after   TIMESTAMPTZ
);

CREATE TABLE service_instances (
    id            UUID        PRIMARY KEY,
    tenant_id     TEXT        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    service_name  TEXT        NOT NULL,
    service_type  TEXT        NOT NULL,
    configuration JSONB       NOT NULL DEFAULT '{}',
    status        TEXT        NOT NULL,
    created_by    TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, service_name)
);

-- API keys ck_<prefix>_<secret>: only the prefix and the SHA-256 of the whole key are stored.
CREATE TABLE api_keys (
    id           UUID        PRIMARY KEY,
    tenant_id    TEXT        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name         TEXT        NOT NULL,
    prefix       TEXT        NOT NULL UNIQUE,
    key_hash     TEXT        NOT NULL,
    scopes       TEXT[]      NOT NULL,
    service_id   UUID,
    created_by   TEXT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at   TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);

CREATE INDEX api_keys_tenant ON api_keys (tenant_id);
CREATE INDEX api_keys_service ON api_keys (service_id) WHERE service_id IS NOT NULL;

CREATE TABLE organizations (
    id                  UUID        PRIMARY KEY,
    tenant_id           TEXT        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name                TEXT        NOT NULL,
    description         TEXT        NOT NULL DEFAULT '',
    created_by_id       BIGINT,
    created_by_username TEXT,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX organizations_tenant ON organizations (tenant_id, created_at);

-- Who changed what. No foreign keys: the trail outlives the users and tenants it mentions.
CREATE TABLE audit_logs (
    id            UUID        PRIMARY KEY,
    tenant_id     TEXT        NOT NULL,
    user_id       BIGINT,
    username      TEXT,
    action        TEXT        NOT NULL,
    resource_type TEXT        NOT NULL,
    resource_id   TEXT,
    changes       JSONB       NOT NULL DEFAULT '{}',
    ip_address    TEXT,
    request_id    TEXT,
    "timestamp"   TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX audit_logs_tenant_time ON audit_logs (tenant_id, "timestamp" DESC);
