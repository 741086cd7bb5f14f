-- W3C trace context (traceparent) stored with turns and deliveries, so DISPATCH and DELIVER continue the trace of the
-- message that caused them, on whichever kernel instance claims the work. Nullable without a default: adding the
-- columns rewrites nothing and takes the table lock only briefly.
ALTER TABLE turns ADD COLUMN trace_parent character varying(55);

ALTER TABLE outbound_deliveries ADD COLUMN trace_parent character varying(55);
