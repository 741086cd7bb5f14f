-- W3C trace context (traceparent) stored with turns and deliveries, so DISPATCH and DELIVER continue the trace of the
-- message that caused them, on whichever kernel instance claims the work.
ALTER TABLE "turns" ADD COLUMN "trace_parent" TEXT NULL;

ALTER TABLE "outbound_deliveries" ADD COLUMN "trace_parent" TEXT NULL;
