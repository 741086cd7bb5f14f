-- Listener checkpoints: where a channel's listener has got to in its platform's stream (for example Matrix's /sync
-- next_batch token), so that a restarted kernel neither replays nor loses events. One row per channel.
CREATE TABLE channel_listener_checkpoints (
    channel_id character varying(36) NOT NULL,
    value text NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_channel_listener_checkpoints PRIMARY KEY (channel_id),
    CONSTRAINT fk_channel_listener_checkpoints_channels_channel_id FOREIGN KEY (channel_id) REFERENCES channels (id) ON DELETE CASCADE
);
