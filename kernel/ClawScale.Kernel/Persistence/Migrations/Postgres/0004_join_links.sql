-- Onboarding (AdminService.CreateJoinLink, GET /join/{token}): shareable, expiring, revocable links of shared channels,
-- with the URL token and the start code stored as SHA-256 hashes, and one row per sender who redeemed a code.
CREATE TABLE join_links (
    id character varying(36) NOT NULL,
    tenant_id character varying(36) NOT NULL,
    channel_id character varying(36) NOT NULL,
    customer_id character varying(36),
    label character varying(200) NOT NULL,
    invite_url character varying(2000) NOT NULL,
    token_hash bytea NOT NULL,
    code_hash bytea NOT NULL,
    max_uses integer NOT NULL,
    use_count integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone,
    last_used_at timestamp with time zone,
    CONSTRAINT pk_join_links PRIMARY KEY (id),
    CONSTRAINT fk_join_links_channels_channel_id FOREIGN KEY (channel_id) REFERENCES channels (id) ON DELETE CASCADE,
    CONSTRAINT fk_join_links_customers_customer_id FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE,
    CONSTRAINT fk_join_links_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);

CREATE TABLE join_link_redemptions (
    id character varying(36) NOT NULL,
    tenant_id character varying(36) NOT NULL,
    join_link_id character varying(36) NOT NULL,
    external_identity_id character varying(36) NOT NULL,
    customer_id character varying(36) NOT NULL,
    turn_id character varying(36) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_join_link_redemptions PRIMARY KEY (id),
    CONSTRAINT fk_join_link_redemptions_external_identity_id FOREIGN KEY (external_identity_id) REFERENCES external_identities (id) ON DELETE CASCADE,
    CONSTRAINT fk_join_link_redemptions_join_links_join_link_id FOREIGN KEY (join_link_id) REFERENCES join_links (id) ON DELETE CASCADE
);

CREATE UNIQUE INDEX ix_join_links_token_hash ON join_links (token_hash);

CREATE UNIQUE INDEX ix_join_links_code_hash ON join_links (code_hash);

CREATE INDEX ix_join_links_tenant_id_channel_id ON join_links (tenant_id, channel_id);

CREATE INDEX ix_join_links_channel_id ON join_links (channel_id);

CREATE INDEX ix_join_links_customer_id ON join_links (customer_id);

CREATE UNIQUE INDEX ix_join_link_redemptions_join_link_id_external_identity_id ON join_link_redemptions (join_link_id, external_identity_id);

CREATE INDEX ix_join_link_redemptions_external_identity_id ON join_link_redemptions (external_identity_id);
