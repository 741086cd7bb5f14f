CREATE TABLE "tenants" (
    "id" TEXT NOT NULL CONSTRAINT "pk_tenants" PRIMARY KEY,
    "slug" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL
);


CREATE TABLE "agents" (
    "id" TEXT NOT NULL CONSTRAINT "pk_agents" PRIMARY KEY,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "config_json" TEXT NOT NULL,
    "credentials_ciphertext" TEXT NOT NULL,
    "credential_keys" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    CONSTRAINT "fk_agents_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);


CREATE TABLE "api_keys" (
    "id" TEXT NOT NULL CONSTRAINT "pk_api_keys" PRIMARY KEY,
    "tenant_id" TEXT NULL,
    "name" TEXT NOT NULL,
    "scope" INTEGER NOT NULL,
    "agent_ids" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secret_hash" BLOB NOT NULL,
    "created_at" TEXT NOT NULL,
    "revoked_at" TEXT NULL,
    "last_used_at" TEXT NULL,
    CONSTRAINT "fk_api_keys_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);


CREATE TABLE "channels" (
    "id" TEXT NOT NULL CONSTRAINT "pk_channels" PRIMARY KEY,
    "tenant_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "ownership" INTEGER NOT NULL,
    "customer_id" TEXT NULL,
    "status" INTEGER NOT NULL,
    "config_json" TEXT NOT NULL,
    "credentials_ciphertext" TEXT NOT NULL,
    "credential_keys" TEXT NOT NULL,
    "webhook_secret_ciphertext" TEXT NOT NULL,
    "last_error" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    CONSTRAINT "fk_channels_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);


CREATE TABLE "customers" (
    "id" TEXT NOT NULL CONSTRAINT "pk_customers" PRIMARY KEY,
    "tenant_id" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    CONSTRAINT "fk_customers_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);


CREATE TABLE "delivery_routes" (
    "id" TEXT NOT NULL CONSTRAINT "pk_delivery_routes" PRIMARY KEY,
    "tenant_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "external_chat_id" TEXT NOT NULL,
    "external_thread_id" TEXT NOT NULL,
    "conversation_key" TEXT NULL,
    "customer_id" TEXT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "fk_delivery_routes_channels_channel_id" FOREIGN KEY ("channel_id") REFERENCES "channels" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_delivery_routes_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);


CREATE TABLE "inbound_events" (
    "id" TEXT NOT NULL CONSTRAINT "pk_inbound_events" PRIMARY KEY,
    "tenant_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "provider_message_id" TEXT NOT NULL,
    "conversation_id" TEXT NULL,
    "turn_id" TEXT NULL,
    "payload_json" TEXT NOT NULL,
    "received_at" TEXT NOT NULL,
    CONSTRAINT "fk_inbound_events_channels_channel_id" FOREIGN KEY ("channel_id") REFERENCES "channels" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_inbound_events_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);


CREATE TABLE "agent_bindings" (
    "id" TEXT NOT NULL CONSTRAINT "pk_agent_bindings" PRIMARY KEY,
    "tenant_id" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "customer_id" TEXT NULL,
    "channel_id" TEXT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "fk_agent_bindings_agents_agent_id" FOREIGN KEY ("agent_id") REFERENCES "agents" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_agent_bindings_channels_channel_id" FOREIGN KEY ("channel_id") REFERENCES "channels" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_agent_bindings_customers_customer_id" FOREIGN KEY ("customer_id") REFERENCES "customers" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_agent_bindings_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);


CREATE TABLE "conversations" (
    "id" TEXT NOT NULL CONSTRAINT "pk_conversations" PRIMARY KEY,
    "tenant_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "external_chat_id" TEXT NOT NULL,
    "external_thread_id" TEXT NOT NULL,
    "delivery_route_id" TEXT NOT NULL,
    "memory_reset_at" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "last_message_at" TEXT NOT NULL,
    CONSTRAINT "fk_conversations_channels_channel_id" FOREIGN KEY ("channel_id") REFERENCES "channels" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_conversations_customers_customer_id" FOREIGN KEY ("customer_id") REFERENCES "customers" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_conversations_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);


CREATE TABLE "external_identities" (
    "id" TEXT NOT NULL CONSTRAINT "pk_external_identities" PRIMARY KEY,
    "tenant_id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "identity_type" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "fk_external_identities_customers_customer_id" FOREIGN KEY ("customer_id") REFERENCES "customers" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_external_identities_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);


CREATE TABLE "link_codes" (
    "code_hash" TEXT NOT NULL CONSTRAINT "pk_link_codes" PRIMARY KEY,
    "tenant_id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "expires_at" TEXT NOT NULL,
    CONSTRAINT "fk_link_codes_customers_customer_id" FOREIGN KEY ("customer_id") REFERENCES "customers" ("id") ON DELETE CASCADE
);


CREATE TABLE "outbound_deliveries" (
    "id" TEXT NOT NULL CONSTRAINT "pk_outbound_deliveries" PRIMARY KEY,
    "tenant_id" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "delivery_route_id" TEXT NOT NULL,
    "conversation_id" TEXT NULL,
    "turn_id" TEXT NULL,
    "idempotency_key" TEXT NOT NULL,
    "payload_hash" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "attachments_json" TEXT NOT NULL,
    "reply_to_platform_message_id" TEXT NULL,
    "properties_json" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "attempts" INTEGER NOT NULL,
    "next_attempt_at" TEXT NOT NULL,
    "claimed_by" TEXT NULL,
    "claimed_until" TEXT NULL,
    "last_error" TEXT NOT NULL,
    "provider_message_id" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    "delivered_at" TEXT NULL,
    CONSTRAINT "fk_outbound_deliveries_delivery_routes_delivery_route_id" FOREIGN KEY ("delivery_route_id") REFERENCES "delivery_routes" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_outbound_deliveries_tenants_tenant_id" FOREIGN KEY ("tenant_id") REFERENCES "tenants" ("id") ON DELETE CASCADE
);


CREATE TABLE "messages" (
    "id" TEXT NOT NULL CONSTRAINT "pk_messages" PRIMARY KEY,
    "tenant_id" TEXT NOT NULL,
    "conversation_id" TEXT NOT NULL,
    "role" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "attachments_json" TEXT NOT NULL,
    "provider_message_id" TEXT NOT NULL,
    "turn_id" TEXT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "fk_messages_conversations_conversation_id" FOREIGN KEY ("conversation_id") REFERENCES "conversations" ("id") ON DELETE CASCADE
);


CREATE TABLE "turns" (
    "id" TEXT NOT NULL CONSTRAINT "pk_turns" PRIMARY KEY,
    "tenant_id" TEXT NOT NULL,
    "conversation_id" TEXT NOT NULL,
    "agent_id" TEXT NULL,
    "inbound_event_id" TEXT NOT NULL,
    "message_id" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "attempts" INTEGER NOT NULL,
    "next_attempt_at" TEXT NOT NULL,
    "claimed_by" TEXT NULL,
    "claimed_until" TEXT NULL,
    "last_error" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    "completed_at" TEXT NULL,
    CONSTRAINT "fk_turns_conversations_conversation_id" FOREIGN KEY ("conversation_id") REFERENCES "conversations" ("id") ON DELETE CASCADE
);


CREATE INDEX "ix_agent_bindings_agent_id" ON "agent_bindings" ("agent_id");


CREATE INDEX "ix_agent_bindings_channel_id" ON "agent_bindings" ("channel_id");


CREATE INDEX "ix_agent_bindings_customer_id" ON "agent_bindings" ("customer_id");


CREATE INDEX "ix_agent_bindings_tenant_id_customer_id_channel_id" ON "agent_bindings" ("tenant_id", "customer_id", "channel_id");


CREATE UNIQUE INDEX "ix_agents_tenant_id_name" ON "agents" ("tenant_id", "name");


CREATE UNIQUE INDEX "ix_api_keys_secret_hash" ON "api_keys" ("secret_hash");


CREATE INDEX "ix_api_keys_tenant_id" ON "api_keys" ("tenant_id");


CREATE INDEX "ix_channels_tenant_id_kind" ON "channels" ("tenant_id", "kind");


CREATE UNIQUE INDEX "ix_conversations_channel_id_external_chat_id_external_thread_id_customer_id" ON "conversations" ("channel_id", "external_chat_id", "external_thread_id", "customer_id");


CREATE INDEX "ix_conversations_customer_id" ON "conversations" ("customer_id");


CREATE INDEX "ix_conversations_tenant_id_customer_id" ON "conversations" ("tenant_id", "customer_id");


CREATE INDEX "ix_customers_tenant_id_id" ON "customers" ("tenant_id", "id");


CREATE UNIQUE INDEX "ix_delivery_routes_channel_id_external_chat_id_external_thread_id" ON "delivery_routes" ("channel_id", "external_chat_id", "external_thread_id") WHERE conversation_key IS NULL;


CREATE UNIQUE INDEX "ix_delivery_routes_tenant_id_conversation_key" ON "delivery_routes" ("tenant_id", "conversation_key") WHERE conversation_key IS NOT NULL;


CREATE INDEX "ix_external_identities_customer_id" ON "external_identities" ("customer_id");


CREATE UNIQUE INDEX "ix_external_identities_tenant_id_provider_identity_type_value" ON "external_identities" ("tenant_id", "provider", "identity_type", "value");


CREATE UNIQUE INDEX "ix_inbound_events_channel_id_provider_message_id" ON "inbound_events" ("channel_id", "provider_message_id");


CREATE INDEX "ix_inbound_events_tenant_id" ON "inbound_events" ("tenant_id");


CREATE INDEX "ix_link_codes_customer_id" ON "link_codes" ("customer_id");


CREATE INDEX "ix_messages_conversation_id_created_at" ON "messages" ("conversation_id", "created_at");


CREATE INDEX "ix_outbound_deliveries_delivery_route_id_created_at" ON "outbound_deliveries" ("delivery_route_id", "created_at");


CREATE INDEX "ix_outbound_deliveries_status_next_attempt_at" ON "outbound_deliveries" ("status", "next_attempt_at");


CREATE UNIQUE INDEX "ix_outbound_deliveries_tenant_id_idempotency_key" ON "outbound_deliveries" ("tenant_id", "idempotency_key");


CREATE UNIQUE INDEX "ix_tenants_slug" ON "tenants" ("slug");


CREATE INDEX "ix_turns_conversation_id_created_at" ON "turns" ("conversation_id", "created_at");


CREATE INDEX "ix_turns_status_next_attempt_at" ON "turns" ("status", "next_attempt_at");
