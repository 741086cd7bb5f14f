CREATE TABLE tenants (
    id character varying(36) NOT NULL,
    slug character varying(63) NOT NULL,
    display_name character varying(200) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_tenants PRIMARY KEY (id)
);


CREATE TABLE agents (
    id character varying(36) NOT NULL,
    tenant_id character varying(36) NOT NULL,
    name character varying(100) NOT NULL,
    kind character varying(64) NOT NULL,
    config_json text NOT NULL,
    credentials_ciphertext text NOT NULL,
    credential_keys character varying(2000) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_agents PRIMARY KEY (id),
    CONSTRAINT fk_agents_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);


CREATE TABLE api_keys (
    id character varying(36) NOT NULL,
    tenant_id character varying(36),
    name character varying(100) NOT NULL,
    scope integer NOT NULL,
    agent_ids text NOT NULL,
    prefix character varying(16) NOT NULL,
    secret_hash bytea NOT NULL,
    created_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone,
    last_used_at timestamp with time zone,
    CONSTRAINT pk_api_keys PRIMARY KEY (id),
    CONSTRAINT fk_api_keys_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);


CREATE TABLE channels (
    id character varying(36) NOT NULL,
    tenant_id character varying(36) NOT NULL,
    kind character varying(64) NOT NULL,
    display_name character varying(200) NOT NULL,
    ownership integer NOT NULL,
    customer_id character varying(36),
    status integer NOT NULL,
    config_json text NOT NULL,
    credentials_ciphertext text NOT NULL,
    credential_keys character varying(2000) NOT NULL,
    webhook_secret_ciphertext text NOT NULL,
    last_error text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_channels PRIMARY KEY (id),
    CONSTRAINT fk_channels_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);


CREATE TABLE customers (
    id character varying(36) NOT NULL,
    tenant_id character varying(36) NOT NULL,
    display_name character varying(200) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_customers PRIMARY KEY (id),
    CONSTRAINT fk_customers_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);


CREATE TABLE delivery_routes (
    id character varying(36) NOT NULL,
    tenant_id character varying(36) NOT NULL,
    channel_id character varying(36) NOT NULL,
    external_chat_id character varying(256) NOT NULL,
    external_thread_id character varying(256) NOT NULL,
    conversation_key character varying(200),
    customer_id character varying(36),
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_delivery_routes PRIMARY KEY (id),
    CONSTRAINT fk_delivery_routes_channels_channel_id FOREIGN KEY (channel_id) REFERENCES channels (id) ON DELETE CASCADE,
    CONSTRAINT fk_delivery_routes_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);


CREATE TABLE inbound_events (
    id character varying(36) NOT NULL,
    tenant_id character varying(36) NOT NULL,
    channel_id character varying(36) NOT NULL,
    provider_message_id character varying(256) NOT NULL,
    conversation_id character varying(36),
    turn_id character varying(36),
    payload_json text NOT NULL,
    received_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_inbound_events PRIMARY KEY (id),
    CONSTRAINT fk_inbound_events_channels_channel_id FOREIGN KEY (channel_id) REFERENCES channels (id) ON DELETE CASCADE,
    CONSTRAINT fk_inbound_events_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);


CREATE TABLE agent_bindings (
    id character varying(36) NOT NULL,
    tenant_id character varying(36) NOT NULL,
    agent_id character varying(36) NOT NULL,
    customer_id character varying(36),
    channel_id character varying(36),
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_agent_bindings PRIMARY KEY (id),
    CONSTRAINT fk_agent_bindings_agents_agent_id FOREIGN KEY (agent_id) REFERENCES agents (id) ON DELETE CASCADE,
    CONSTRAINT fk_agent_bindings_channels_channel_id FOREIGN KEY (channel_id) REFERENCES channels (id) ON DELETE CASCADE,
    CONSTRAINT fk_agent_bindings_customers_customer_id FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE,
    CONSTRAINT fk_agent_bindings_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);


CREATE TABLE conversations (
    id character varying(36) NOT NULL,
    tenant_id character varying(36) NOT NULL,
    channel_id character varying(36) NOT NULL,
    customer_id character varying(36) NOT NULL,
    external_chat_id character varying(256) NOT NULL,
    external_thread_id character varying(256) NOT NULL,
    delivery_route_id character varying(36) NOT NULL,
    memory_reset_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    last_message_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_conversations PRIMARY KEY (id),
    CONSTRAINT fk_conversations_channels_channel_id FOREIGN KEY (channel_id) REFERENCES channels (id) ON DELETE CASCADE,
    CONSTRAINT fk_conversations_customers_customer_id FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE,
    CONSTRAINT fk_conversations_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);


CREATE TABLE external_identities (
    id character varying(36) NOT NULL,
    tenant_id character varying(36) NOT NULL,
    customer_id character varying(36) NOT NULL,
    provider character varying(64) NOT NULL,
    identity_type character varying(64) NOT NULL,
    value character varying(512) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_external_identities PRIMARY KEY (id),
    CONSTRAINT fk_external_identities_customers_customer_id FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE,
    CONSTRAINT fk_external_identities_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);


CREATE TABLE link_codes (
    code_hash character varying(64) NOT NULL,
    tenant_id character varying(36) NOT NULL,
    customer_id character varying(36) NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_link_codes PRIMARY KEY (code_hash),
    CONSTRAINT fk_link_codes_customers_customer_id FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE
);


CREATE TABLE outbound_deliveries (
    id character varying(36) NOT NULL,
    tenant_id character varying(36) NOT NULL,
    channel_id character varying(36) NOT NULL,
    delivery_route_id character varying(36) NOT NULL,
    conversation_id character varying(36),
    turn_id character varying(36),
    idempotency_key character varying(200) NOT NULL,
    payload_hash character varying(64) NOT NULL,
    text text NOT NULL,
    attachments_json text NOT NULL,
    reply_to_platform_message_id character varying(256),
    properties_json text NOT NULL,
    status integer NOT NULL,
    attempts integer NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    claimed_by character varying(64),
    claimed_until timestamp with time zone,
    last_error text NOT NULL,
    provider_message_id character varying(256) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    delivered_at timestamp with time zone,
    CONSTRAINT pk_outbound_deliveries PRIMARY KEY (id),
    CONSTRAINT fk_outbound_deliveries_delivery_routes_delivery_route_id FOREIGN KEY (delivery_route_id) REFERENCES delivery_routes (id) ON DELETE CASCADE,
    CONSTRAINT fk_outbound_deliveries_tenants_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
);


CREATE TABLE messages (
    id character varying(36) NOT NULL,
    tenant_id character varying(36) NOT NULL,
    conversation_id character varying(36) NOT NULL,
    role integer NOT NULL,
    text text NOT NULL,
    attachments_json text NOT NULL,
    provider_message_id character varying(256) NOT NULL,
    turn_id character varying(36),
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_messages PRIMARY KEY (id),
    CONSTRAINT fk_messages_conversations_conversation_id FOREIGN KEY (conversation_id) REFERENCES conversations (id) ON DELETE CASCADE
);


CREATE TABLE turns (
    id character varying(36) NOT NULL,
    tenant_id character varying(36) NOT NULL,
    conversation_id character varying(36) NOT NULL,
    agent_id character varying(36),
    inbound_event_id character varying(36) NOT NULL,
    message_id character varying(36) NOT NULL,
    status integer NOT NULL,
    attempts integer NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    claimed_by character varying(64),
    claimed_until timestamp with time zone,
    last_error text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    completed_at timestamp with time zone,
    CONSTRAINT pk_turns PRIMARY KEY (id),
    CONSTRAINT fk_turns_conversations_conversation_id FOREIGN KEY (conversation_id) REFERENCES conversations (id) ON DELETE CASCADE
);


CREATE INDEX ix_agent_bindings_agent_id ON agent_bindings (agent_id);


CREATE INDEX ix_agent_bindings_channel_id ON agent_bindings (channel_id);


CREATE INDEX ix_agent_bindings_customer_id ON agent_bindings (customer_id);


CREATE INDEX ix_agent_bindings_tenant_id_customer_id_channel_id ON agent_bindings (tenant_id, customer_id, channel_id);


CREATE UNIQUE INDEX ix_agents_tenant_id_name ON agents (tenant_id, name);


CREATE UNIQUE INDEX ix_api_keys_secret_hash ON api_keys (secret_hash);


CREATE INDEX ix_api_keys_tenant_id ON api_keys (tenant_id);


CREATE INDEX ix_channels_tenant_id_kind ON channels (tenant_id, kind);


CREATE UNIQUE INDEX "ix_conversations_channel_id_external_chat_id_external_thread_i~" ON conversations (channel_id, external_chat_id, external_thread_id, customer_id);


CREATE INDEX ix_conversations_customer_id ON conversations (customer_id);


CREATE INDEX ix_conversations_tenant_id_customer_id ON conversations (tenant_id, customer_id);


CREATE INDEX ix_customers_tenant_id_id ON customers (tenant_id, id);


CREATE UNIQUE INDEX "ix_delivery_routes_channel_id_external_chat_id_external_thread~" ON delivery_routes (channel_id, external_chat_id, external_thread_id) WHERE conversation_key IS NULL;


CREATE UNIQUE INDEX ix_delivery_routes_tenant_id_conversation_key ON delivery_routes (tenant_id, conversation_key) WHERE conversation_key IS NOT NULL;


CREATE INDEX ix_external_identities_customer_id ON external_identities (customer_id);


CREATE UNIQUE INDEX ix_external_identities_tenant_id_provider_identity_type_value ON external_identities (tenant_id, provider, identity_type, value);


CREATE UNIQUE INDEX ix_inbound_events_channel_id_provider_message_id ON inbound_events (channel_id, provider_message_id);


CREATE INDEX ix_inbound_events_tenant_id ON inbound_events (tenant_id);


CREATE INDEX ix_link_codes_customer_id ON link_codes (customer_id);


CREATE INDEX ix_messages_conversation_id_created_at ON messages (conversation_id, created_at);


CREATE INDEX ix_outbound_deliveries_delivery_route_id_created_at ON outbound_deliveries (delivery_route_id, created_at);


CREATE INDEX ix_outbound_deliveries_status_next_attempt_at ON outbound_deliveries (status, next_attempt_at);


CREATE UNIQUE INDEX ix_outbound_deliveries_tenant_id_idempotency_key ON outbound_deliveries (tenant_id, idempotency_key);


CREATE UNIQUE INDEX ix_tenants_slug ON tenants (slug);


CREATE INDEX ix_turns_conversation_id_created_at ON turns (conversation_id, created_at);


CREATE INDEX ix_turns_status_next_attempt_at ON turns (status, next_attempt_at);
