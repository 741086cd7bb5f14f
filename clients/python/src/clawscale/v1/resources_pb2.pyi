from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

API_KEY_SCOPE_PLATFORM_ADMIN: ApiKeyScope
API_KEY_SCOPE_RUNTIME: ApiKeyScope
API_KEY_SCOPE_TENANT_ADMIN: ApiKeyScope
API_KEY_SCOPE_UNSPECIFIED: ApiKeyScope
ATTACHMENT_KIND_AUDIO: AttachmentKind
ATTACHMENT_KIND_DOCUMENT: AttachmentKind
ATTACHMENT_KIND_IMAGE: AttachmentKind
ATTACHMENT_KIND_UNSPECIFIED: AttachmentKind
ATTACHMENT_KIND_VIDEO: AttachmentKind
CHANNEL_OWNERSHIP_CUSTOMER: ChannelOwnership
CHANNEL_OWNERSHIP_SHARED: ChannelOwnership
CHANNEL_OWNERSHIP_UNSPECIFIED: ChannelOwnership
CHANNEL_STATUS_ARCHIVED: ChannelStatus
CHANNEL_STATUS_CONNECTED: ChannelStatus
CHANNEL_STATUS_DISCONNECTED: ChannelStatus
CHANNEL_STATUS_ERROR: ChannelStatus
CHANNEL_STATUS_PENDING: ChannelStatus
CHANNEL_STATUS_UNSPECIFIED: ChannelStatus
DELIVERY_STATUS_DEAD: DeliveryStatus
DELIVERY_STATUS_DELIVERED: DeliveryStatus
DELIVERY_STATUS_FAILED: DeliveryStatus
DELIVERY_STATUS_PENDING: DeliveryStatus
DELIVERY_STATUS_SENDING: DeliveryStatus
DELIVERY_STATUS_UNSPECIFIED: DeliveryStatus
DESCRIPTOR: _descriptor.FileDescriptor
JOIN_LINK_STATUS_ACTIVE: JoinLinkStatus
JOIN_LINK_STATUS_EXPIRED: JoinLinkStatus
JOIN_LINK_STATUS_REVOKED: JoinLinkStatus
JOIN_LINK_STATUS_UNSPECIFIED: JoinLinkStatus
JOIN_LINK_STATUS_USED_UP: JoinLinkStatus
MESSAGE_ROLE_AGENT: MessageRole
MESSAGE_ROLE_SYSTEM: MessageRole
MESSAGE_ROLE_UNSPECIFIED: MessageRole
MESSAGE_ROLE_USER: MessageRole
PLUGIN_STATE_FAILED: PluginState
PLUGIN_STATE_LOADED: PluginState
PLUGIN_STATE_UNLOADED: PluginState
PLUGIN_STATE_UNSPECIFIED: PluginState
TURN_STATUS_AWAITING_RUNTIME: TurnStatus
TURN_STATUS_COMPLETED: TurnStatus
TURN_STATUS_FAILED: TurnStatus
TURN_STATUS_PENDING: TurnStatus
TURN_STATUS_RUNNING: TurnStatus
TURN_STATUS_UNSPECIFIED: TurnStatus

class Agent(_message.Message):
    __slots__ = ["config", "create_time", "credential_keys_set", "id", "kind", "name", "tenant_id", "update_time"]
    class ConfigEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    CREDENTIAL_KEYS_SET_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    config: _containers.ScalarMap[str, str]
    create_time: _timestamp_pb2.Timestamp
    credential_keys_set: _containers.RepeatedScalarFieldContainer[str]
    id: str
    kind: str
    name: str
    tenant_id: str
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[str] = ..., config: _Optional[_Mapping[str, str]] = ..., credential_keys_set: _Optional[_Iterable[str]] = ..., create_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AgentBinding(_message.Message):
    __slots__ = ["agent_id", "channel_id", "create_time", "customer_id", "id", "tenant_id"]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    agent_id: str
    channel_id: str
    create_time: _timestamp_pb2.Timestamp
    customer_id: str
    id: str
    tenant_id: str
    def __init__(self, id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., agent_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., channel_id: _Optional[str] = ..., create_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ApiKey(_message.Message):
    __slots__ = ["agent_ids", "create_time", "id", "last_used_time", "name", "prefix", "revoke_time", "scope", "tenant_id"]
    AGENT_IDS_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    LAST_USED_TIME_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PREFIX_FIELD_NUMBER: _ClassVar[int]
    REVOKE_TIME_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    agent_ids: _containers.RepeatedScalarFieldContainer[str]
    create_time: _timestamp_pb2.Timestamp
    id: str
    last_used_time: _timestamp_pb2.Timestamp
    name: str
    prefix: str
    revoke_time: _timestamp_pb2.Timestamp
    scope: ApiKeyScope
    tenant_id: str
    def __init__(self, id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., name: _Optional[str] = ..., scope: _Optional[_Union[ApiKeyScope, str]] = ..., agent_ids: _Optional[_Iterable[str]] = ..., prefix: _Optional[str] = ..., create_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., revoke_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., last_used_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Attachment(_message.Message):
    __slots__ = ["data", "file_name", "kind", "mime_type", "provider_file_id", "size_bytes", "url"]
    DATA_FIELD_NUMBER: _ClassVar[int]
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    MIME_TYPE_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FILE_ID_FIELD_NUMBER: _ClassVar[int]
    SIZE_BYTES_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    data: bytes
    file_name: str
    kind: AttachmentKind
    mime_type: str
    provider_file_id: str
    size_bytes: int
    url: str
    def __init__(self, kind: _Optional[_Union[AttachmentKind, str]] = ..., url: _Optional[str] = ..., file_name: _Optional[str] = ..., mime_type: _Optional[str] = ..., size_bytes: _Optional[int] = ..., provider_file_id: _Optional[str] = ..., data: _Optional[bytes] = ...) -> None: ...

class Channel(_message.Message):
    __slots__ = ["config", "create_time", "credential_keys_set", "customer_id", "display_name", "id", "kind", "last_error", "ownership", "status", "tenant_id", "update_time", "webhook_path"]
    class ConfigEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    CREDENTIAL_KEYS_SET_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    LAST_ERROR_FIELD_NUMBER: _ClassVar[int]
    OWNERSHIP_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    WEBHOOK_PATH_FIELD_NUMBER: _ClassVar[int]
    config: _containers.ScalarMap[str, str]
    create_time: _timestamp_pb2.Timestamp
    credential_keys_set: _containers.RepeatedScalarFieldContainer[str]
    customer_id: str
    display_name: str
    id: str
    kind: str
    last_error: str
    ownership: ChannelOwnership
    status: ChannelStatus
    tenant_id: str
    update_time: _timestamp_pb2.Timestamp
    webhook_path: str
    def __init__(self, id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., kind: _Optional[str] = ..., display_name: _Optional[str] = ..., ownership: _Optional[_Union[ChannelOwnership, str]] = ..., customer_id: _Optional[str] = ..., status: _Optional[_Union[ChannelStatus, str]] = ..., config: _Optional[_Mapping[str, str]] = ..., credential_keys_set: _Optional[_Iterable[str]] = ..., webhook_path: _Optional[str] = ..., last_error: _Optional[str] = ..., create_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ConfigField(_message.Message):
    __slots__ = ["choices", "help", "key", "label", "required", "secret"]
    CHOICES_FIELD_NUMBER: _ClassVar[int]
    HELP_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_FIELD_NUMBER: _ClassVar[int]
    SECRET_FIELD_NUMBER: _ClassVar[int]
    choices: _containers.RepeatedScalarFieldContainer[str]
    help: str
    key: str
    label: str
    required: bool
    secret: bool
    def __init__(self, key: _Optional[str] = ..., label: _Optional[str] = ..., required: bool = ..., secret: bool = ..., help: _Optional[str] = ..., choices: _Optional[_Iterable[str]] = ...) -> None: ...

class Conversation(_message.Message):
    __slots__ = ["channel_id", "create_time", "customer_id", "delivery_route_id", "external_chat_id", "external_thread_id", "id", "last_message_time", "tenant_id"]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_ROUTE_ID_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_CHAT_ID_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    LAST_MESSAGE_TIME_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    create_time: _timestamp_pb2.Timestamp
    customer_id: str
    delivery_route_id: str
    external_chat_id: str
    external_thread_id: str
    id: str
    last_message_time: _timestamp_pb2.Timestamp
    tenant_id: str
    def __init__(self, id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., channel_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., external_chat_id: _Optional[str] = ..., external_thread_id: _Optional[str] = ..., delivery_route_id: _Optional[str] = ..., create_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., last_message_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Customer(_message.Message):
    __slots__ = ["create_time", "display_name", "id", "tenant_id", "update_time"]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    create_time: _timestamp_pb2.Timestamp
    display_name: str
    id: str
    tenant_id: str
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., display_name: _Optional[str] = ..., create_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Delivery(_message.Message):
    __slots__ = ["attachments", "attempts", "channel_id", "conversation_id", "create_time", "delivery_route_id", "id", "idempotency_key", "last_error", "next_attempt_time", "provider_message_id", "status", "tenant_id", "text", "update_time"]
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_ROUTE_ID_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    LAST_ERROR_FIELD_NUMBER: _ClassVar[int]
    NEXT_ATTEMPT_TIME_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    attachments: _containers.RepeatedCompositeFieldContainer[Attachment]
    attempts: int
    channel_id: str
    conversation_id: str
    create_time: _timestamp_pb2.Timestamp
    delivery_route_id: str
    id: str
    idempotency_key: str
    last_error: str
    next_attempt_time: _timestamp_pb2.Timestamp
    provider_message_id: str
    status: DeliveryStatus
    tenant_id: str
    text: str
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., delivery_route_id: _Optional[str] = ..., channel_id: _Optional[str] = ..., conversation_id: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., status: _Optional[_Union[DeliveryStatus, str]] = ..., text: _Optional[str] = ..., attachments: _Optional[_Iterable[_Union[Attachment, _Mapping]]] = ..., attempts: _Optional[int] = ..., next_attempt_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., last_error: _Optional[str] = ..., provider_message_id: _Optional[str] = ..., create_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class DeliveryRoute(_message.Message):
    __slots__ = ["channel_id", "conversation_key", "create_time", "customer_id", "external_chat_id", "external_thread_id", "id", "tenant_id"]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_KEY_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_CHAT_ID_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    conversation_key: str
    create_time: _timestamp_pb2.Timestamp
    customer_id: str
    external_chat_id: str
    external_thread_id: str
    id: str
    tenant_id: str
    def __init__(self, id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., channel_id: _Optional[str] = ..., external_chat_id: _Optional[str] = ..., external_thread_id: _Optional[str] = ..., conversation_key: _Optional[str] = ..., customer_id: _Optional[str] = ..., create_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ExternalIdentity(_message.Message):
    __slots__ = ["create_time", "customer_id", "id", "identity_type", "provider", "tenant_id", "value"]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    IDENTITY_TYPE_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    create_time: _timestamp_pb2.Timestamp
    customer_id: str
    id: str
    identity_type: str
    provider: str
    tenant_id: str
    value: str
    def __init__(self, id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., provider: _Optional[str] = ..., identity_type: _Optional[str] = ..., value: _Optional[str] = ..., create_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class JoinLink(_message.Message):
    __slots__ = ["channel_id", "create_time", "customer_id", "expire_time", "id", "invite_url", "label", "last_used_time", "max_uses", "revoke_time", "status", "tenant_id", "use_count"]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    EXPIRE_TIME_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    INVITE_URL_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    LAST_USED_TIME_FIELD_NUMBER: _ClassVar[int]
    MAX_USES_FIELD_NUMBER: _ClassVar[int]
    REVOKE_TIME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    USE_COUNT_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    create_time: _timestamp_pb2.Timestamp
    customer_id: str
    expire_time: _timestamp_pb2.Timestamp
    id: str
    invite_url: str
    label: str
    last_used_time: _timestamp_pb2.Timestamp
    max_uses: int
    revoke_time: _timestamp_pb2.Timestamp
    status: JoinLinkStatus
    tenant_id: str
    use_count: int
    def __init__(self, id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., channel_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., label: _Optional[str] = ..., invite_url: _Optional[str] = ..., max_uses: _Optional[int] = ..., use_count: _Optional[int] = ..., status: _Optional[_Union[JoinLinkStatus, str]] = ..., create_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., expire_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., revoke_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., last_used_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class KindSchema(_message.Message):
    __slots__ = ["fields", "kind"]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    fields: _containers.RepeatedCompositeFieldContainer[ConfigField]
    kind: str
    def __init__(self, kind: _Optional[str] = ..., fields: _Optional[_Iterable[_Union[ConfigField, _Mapping]]] = ...) -> None: ...

class Message(_message.Message):
    __slots__ = ["attachments", "conversation_id", "create_time", "id", "provider_message_id", "role", "tenant_id", "text"]
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    attachments: _containers.RepeatedCompositeFieldContainer[Attachment]
    conversation_id: str
    create_time: _timestamp_pb2.Timestamp
    id: str
    provider_message_id: str
    role: MessageRole
    tenant_id: str
    text: str
    def __init__(self, id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., conversation_id: _Optional[str] = ..., role: _Optional[_Union[MessageRole, str]] = ..., text: _Optional[str] = ..., attachments: _Optional[_Iterable[_Union[Attachment, _Mapping]]] = ..., provider_message_id: _Optional[str] = ..., create_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Plugin(_message.Message):
    __slots__ = ["agent_kinds", "agent_schemas", "channel_kinds", "channel_schemas", "error", "load_time", "name", "source", "state", "version"]
    AGENT_KINDS_FIELD_NUMBER: _ClassVar[int]
    AGENT_SCHEMAS_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_KINDS_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_SCHEMAS_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    LOAD_TIME_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    agent_kinds: _containers.RepeatedScalarFieldContainer[str]
    agent_schemas: _containers.RepeatedCompositeFieldContainer[KindSchema]
    channel_kinds: _containers.RepeatedScalarFieldContainer[str]
    channel_schemas: _containers.RepeatedCompositeFieldContainer[KindSchema]
    error: str
    load_time: _timestamp_pb2.Timestamp
    name: str
    source: str
    state: PluginState
    version: str
    def __init__(self, name: _Optional[str] = ..., version: _Optional[str] = ..., source: _Optional[str] = ..., state: _Optional[_Union[PluginState, str]] = ..., channel_kinds: _Optional[_Iterable[str]] = ..., agent_kinds: _Optional[_Iterable[str]] = ..., error: _Optional[str] = ..., load_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., channel_schemas: _Optional[_Iterable[_Union[KindSchema, _Mapping]]] = ..., agent_schemas: _Optional[_Iterable[_Union[KindSchema, _Mapping]]] = ...) -> None: ...

class Tenant(_message.Message):
    __slots__ = ["create_time", "display_name", "id", "slug", "update_time"]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    SLUG_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    create_time: _timestamp_pb2.Timestamp
    display_name: str
    id: str
    slug: str
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., slug: _Optional[str] = ..., display_name: _Optional[str] = ..., create_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Turn(_message.Message):
    __slots__ = ["agent_id", "attempts", "complete_time", "conversation_id", "create_time", "id", "last_error", "status", "tenant_id"]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    COMPLETE_TIME_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    LAST_ERROR_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    agent_id: str
    attempts: int
    complete_time: _timestamp_pb2.Timestamp
    conversation_id: str
    create_time: _timestamp_pb2.Timestamp
    id: str
    last_error: str
    status: TurnStatus
    tenant_id: str
    def __init__(self, id: _Optional[str] = ..., tenant_id: _Optional[str] = ..., conversation_id: _Optional[str] = ..., agent_id: _Optional[str] = ..., status: _Optional[_Union[TurnStatus, str]] = ..., attempts: _Optional[int] = ..., last_error: _Optional[str] = ..., create_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ..., complete_time: _Optional[_Union[_timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ApiKeyScope(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ChannelStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ChannelOwnership(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class AttachmentKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class MessageRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class DeliveryStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class TurnStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class PluginState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class JoinLinkStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
