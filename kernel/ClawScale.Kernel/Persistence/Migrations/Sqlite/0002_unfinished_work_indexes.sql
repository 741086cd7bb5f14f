-- Partial indexes over unfinished work for the DISPATCH and DELIVER claims: they stay as small as the work in flight,
-- however many finished turns and deliveries the tables hold (the full indexes made each claim scan all of them).
CREATE INDEX "ix_turns_unfinished_created_at_id" ON "turns" ("created_at", "id") WHERE status IN (1, 2, 3);

CREATE INDEX "ix_turns_unfinished_conversation_id_created_at" ON "turns" ("conversation_id", "created_at") WHERE status IN (1, 2, 3);

CREATE INDEX "ix_outbound_deliveries_unfinished_next_attempt_at_id" ON "outbound_deliveries" ("next_attempt_at", "id") WHERE status IN (1, 2, 4);

CREATE INDEX "ix_outbound_deliveries_unfinished_delivery_route_id_created_at" ON "outbound_deliveries" ("delivery_route_id", "created_at") WHERE status IN (1, 2, 4);
