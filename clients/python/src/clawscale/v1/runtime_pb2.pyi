from google.protobuf import timestamp_pb2 as _timestamp_pb2
from clawscale.v1 import resources_pb2 as _resources_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ConnectRequest(_message.Message):
    __slots__ = ["ack", "failure", "heartbeat", "hello", "reply"]
    ACK_FIELD_NUMBER: _ClassVar[int]
    FAILURE_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_FIELD_NUMBER: _ClassVar[int]
    HELLO_FIELD_NUMBER: _ClassVar[int]
    REPLY_FIELD_NUMBER: _ClassVar[int]
    ack: TurnAck
    failure: TurnFailure
    heartbeat: Heartbeat
    hello: RuntimeHello
    reply: TurnReply
    def __init__(self, hello: _Optional[_Union[RuntimeHello, _Mapping]] = ..., ack: _Optional[_Union[TurnAck, _Mapping]] = ..., reply: _Optional[_Union[TurnReply, _Mapping]] = ..., failure: _Optional[_Union[TurnFailure, _Mapping]] = ..., heartbeat: _Optional[_Union[Heartbeat, _Mapping]] = ...) -> None: ...

class ConnectResponse(_message.Message):
    __slots__ = ["heartbeat", "reply_accepted", "turn", "welcome"]
    HEARTBEAT_FIELD_NUMBER: _ClassVar[int]
    REPLY_ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    TURN_FIELD_NUMBER: _ClassVar[int]
    WELCOME_FIELD_NUMBER: _ClassVar[int]
    heartbeat: Heartbeat
    reply_accepted: ReplyAccepted
    turn: RuntimeTurn
    welcome: RuntimeWelcome
    def __init__(self, welcome: _Optional[_Union[RuntimeWelcome, _Mapping]] = ..., turn: _Optional[_Union[RuntimeTurn, _Mapping]] = ..., heartbeat: _Optional[_Union[Heartbeat, _Mapping]] = ..., reply_accepted: _Optional[_Union[ReplyAccepted, _Mapping]] = ...) -> None: ...

class Heartbeat(_message.Message):
    __slots__ = ["time"]
    TIME_FIELD_NUMBER: _ClassVar[int]
    time: _timestamp_pb2.Timestamp
    def __init__(self, time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ReplyAccepted(_message.Message):
    __slots__ = ["delivery_ids", "turn_id"]
    DELIVERY_IDS_FIELD_NUMBER: _ClassVar[int]
    TURN_ID_FIELD_NUMBER: _ClassVar[int]
    delivery_ids: _containers.RepeatedScalarFieldContainer[str]
    turn_id: str
    def __init__(self, turn_id: _Optional[str] = ..., delivery_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class ReplyMessage(_message.Message):
    __slots__ = ["attachments", "text"]
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    attachments: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Attachment]
    text: str
    def __init__(self, text: _Optional[str] = ..., attachments: _Optional[_Iterable[_Union[_resources_pb2.Attachment, _Mapping]]] = ...) -> None: ...

class RuntimeHello(_message.Message):
    __slots__ = ["agent_ids", "instance_id", "max_in_flight", "runtime_name"]
    AGENT_IDS_FIELD_NUMBER: _ClassVar[int]
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    MAX_IN_FLIGHT_FIELD_NUMBER: _ClassVar[int]
    RUNTIME_NAME_FIELD_NUMBER: _ClassVar[int]
    agent_ids: _containers.RepeatedScalarFieldContainer[str]
    instance_id: str
    max_in_flight: int
    runtime_name: str
    def __init__(self, agent_ids: _Optional[_Iterable[str]] = ..., runtime_name: _Optional[str] = ..., instance_id: _Optional[str] = ..., max_in_flight: _Optional[int] = ...) -> None: ...

class RuntimeTurn(_message.Message):
    __slots__ = ["agent_id", "attempt", "conversation", "customer", "delivery_route", "history", "history_omitted", "history_truncated", "message", "message_truncated", "tenant_id", "turn_id"]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_ROUTE_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    HISTORY_OMITTED_FIELD_NUMBER: _ClassVar[int]
    HISTORY_TRUNCATED_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_TRUNCATED_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    TURN_ID_FIELD_NUMBER: _ClassVar[int]
    agent_id: str
    attempt: int
    conversation: _resources_pb2.Conversation
    customer: _resources_pb2.Customer
    delivery_route: _resources_pb2.DeliveryRoute
    history: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Message]
    history_omitted: int
    history_truncated: bool
    message: _resources_pb2.Message
    message_truncated: bool
    tenant_id: str
    turn_id: str
    def __init__(self, turn_id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., agent_id: _Optional[str] = ..., customer: _Optional[_Union[_resources_pb2.Customer, _Mapping]] = ..., conversation: _Optional[_Union[_resources_pb2.Conversation, _Mapping]] = ..., delivery_route: _Optional[_Union[_resources_pb2.DeliveryRoute, _Mapping]] = ..., message: _Optional[_Union[_resources_pb2.Message, _Mapping]] = ..., history: _Optional[_Iterable[_Union[_resources_pb2.Message, _Mapping]]] = ..., attempt: _Optional[int] = ..., history_truncated: bool = ..., history_omitted: _Optional[int] = ..., message_truncated: bool = ...) -> None: ...

class RuntimeWelcome(_message.Message):
    __slots__ = ["agent_ids", "heartbeat_interval_seconds", "session_id"]
    AGENT_IDS_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_INTERVAL_SECONDS_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    agent_ids: _containers.RepeatedScalarFieldContainer[str]
    heartbeat_interval_seconds: int
    session_id: str
    def __init__(self, session_id: _Optional[str] = ..., heartbeat_interval_seconds: _Optional[int] = ..., agent_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class TurnAck(_message.Message):
    __slots__ = ["turn_id"]
    TURN_ID_FIELD_NUMBER: _ClassVar[int]
    turn_id: str
    def __init__(self, turn_id: _Optional[str] = ...) -> None: ...

class TurnFailure(_message.Message):
    __slots__ = ["error", "turn_id"]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    TURN_ID_FIELD_NUMBER: _ClassVar[int]
    error: str
    turn_id: str
    def __init__(self, turn_id: _Optional[str] = ..., error: _Optional[str] = ...) -> None: ...

class TurnReply(_message.Message):
    __slots__ = ["final", "messages", "turn_id"]
    FINAL_FIELD_NUMBER: _ClassVar[int]
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    TURN_ID_FIELD_NUMBER: _ClassVar[int]
    final: bool
    messages: _containers.RepeatedCompositeFieldContainer[ReplyMessage]
    turn_id: str
    def __init__(self, turn_id: _Optional[str] = ..., messages: _Optional[_Iterable[_Union[ReplyMessage, _Mapping]]] = ..., final: bool = ...) -> None: ...
