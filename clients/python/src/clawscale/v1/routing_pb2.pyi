from clawscale.v1 import identity_pb2 as _identity_pb2
from clawscale.v1 import resources_pb2 as _resources_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class BindDeliveryRouteRequest(_message.Message):
    __slots__ = ["address", "conversation_key", "delivery_route_id", "tenant_id"]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_KEY_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_ROUTE_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    address: RouteAddress
    conversation_key: str
    delivery_route_id: str
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., conversation_key: _Optional[str] = ..., delivery_route_id: _Optional[str] = ..., address: _Optional[_Union[RouteAddress, _Mapping]] = ...) -> None: ...

class BindDeliveryRouteResponse(_message.Message):
    __slots__ = ["route"]
    ROUTE_FIELD_NUMBER: _ClassVar[int]
    route: _resources_pb2.DeliveryRoute
    def __init__(self, route: _Optional[_Union[_resources_pb2.DeliveryRoute, _Mapping]] = ...) -> None: ...

class GetConversationRequest(_message.Message):
    __slots__ = ["conversation_id"]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    conversation_id: str
    def __init__(self, conversation_id: _Optional[str] = ...) -> None: ...

class GetConversationResponse(_message.Message):
    __slots__ = ["conversation"]
    CONVERSATION_FIELD_NUMBER: _ClassVar[int]
    conversation: _resources_pb2.Conversation
    def __init__(self, conversation: _Optional[_Union[_resources_pb2.Conversation, _Mapping]] = ...) -> None: ...

class GetDeliveryRouteRequest(_message.Message):
    __slots__ = ["conversation_key", "delivery_route_id", "tenant_id"]
    CONVERSATION_KEY_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_ROUTE_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    conversation_key: str
    delivery_route_id: str
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., delivery_route_id: _Optional[str] = ..., conversation_key: _Optional[str] = ...) -> None: ...

class GetDeliveryRouteResponse(_message.Message):
    __slots__ = ["route"]
    ROUTE_FIELD_NUMBER: _ClassVar[int]
    route: _resources_pb2.DeliveryRoute
    def __init__(self, route: _Optional[_Union[_resources_pb2.DeliveryRoute, _Mapping]] = ...) -> None: ...

class ListConversationsRequest(_message.Message):
    __slots__ = ["channel_id", "customer_id", "page_size", "page_token", "tenant_id"]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    customer_id: str
    page_size: int
    page_token: str
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., channel_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListConversationsResponse(_message.Message):
    __slots__ = ["conversations", "next_page_token"]
    CONVERSATIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    conversations: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Conversation]
    next_page_token: str
    def __init__(self, conversations: _Optional[_Iterable[_Union[_resources_pb2.Conversation, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListMessagesRequest(_message.Message):
    __slots__ = ["conversation_id", "page_size", "page_token"]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    conversation_id: str
    page_size: int
    page_token: str
    def __init__(self, conversation_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListMessagesResponse(_message.Message):
    __slots__ = ["messages", "next_page_token"]
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    messages: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Message]
    next_page_token: str
    def __init__(self, messages: _Optional[_Iterable[_Union[_resources_pb2.Message, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class RouteAddress(_message.Message):
    __slots__ = ["channel_id", "external_chat_id", "external_thread_id"]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_CHAT_ID_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    external_chat_id: str
    external_thread_id: str
    def __init__(self, channel_id: _Optional[str] = ..., external_chat_id: _Optional[str] = ..., external_thread_id: _Optional[str] = ...) -> None: ...

class RouteInboundRequest(_message.Message):
    __slots__ = ["attachments", "channel_id", "external_chat_id", "external_thread_id", "provider_message_id", "sender", "sender_display_name", "tenant_id", "text"]
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_CHAT_ID_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_THREAD_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    SENDER_DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    SENDER_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    attachments: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Attachment]
    channel_id: str
    external_chat_id: str
    external_thread_id: str
    provider_message_id: str
    sender: _identity_pb2.ExternalIdentityKey
    sender_display_name: str
    tenant_id: str
    text: str
    def __init__(self, tenant_id: _Optional[str] = ..., channel_id: _Optional[str] = ..., external_chat_id: _Optional[str] = ..., external_thread_id: _Optional[str] = ..., provider_message_id: _Optional[str] = ..., sender: _Optional[_Union[_identity_pb2.ExternalIdentityKey, _Mapping]] = ..., sender_display_name: _Optional[str] = ..., text: _Optional[str] = ..., attachments: _Optional[_Iterable[_Union[_resources_pb2.Attachment, _Mapping]]] = ...) -> None: ...

class RouteInboundResponse(_message.Message):
    __slots__ = ["conversation_id", "customer_id", "duplicate", "inbound_event_id", "turn_id"]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    INBOUND_EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    TURN_ID_FIELD_NUMBER: _ClassVar[int]
    conversation_id: str
    customer_id: str
    duplicate: bool
    inbound_event_id: str
    turn_id: str
    def __init__(self, inbound_event_id: _Optional[str] = ..., conversation_id: _Optional[str] = ..., turn_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., duplicate: bool = ...) -> None: ...
