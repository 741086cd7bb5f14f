from clawscale.v1 import resources_pb2 as _resources_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DeliverRequest(_message.Message):
    __slots__ = ["attachments", "conversation_id", "conversation_key", "delivery_route_id", "idempotency_key", "tenant_id", "text"]
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    CONVERSATION_KEY_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_ROUTE_ID_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    attachments: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Attachment]
    conversation_id: str
    conversation_key: str
    delivery_route_id: str
    idempotency_key: str
    tenant_id: str
    text: str
    def __init__(self, tenant_id: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., conversation_id: _Optional[str] = ..., delivery_route_id: _Optional[str] = ..., conversation_key: _Optional[str] = ..., text: _Optional[str] = ..., attachments: _Optional[_Iterable[_Union[_resources_pb2.Attachment, _Mapping]]] = ...) -> None: ...

class DeliverResponse(_message.Message):
    __slots__ = ["delivery", "replayed"]
    DELIVERY_FIELD_NUMBER: _ClassVar[int]
    REPLAYED_FIELD_NUMBER: _ClassVar[int]
    delivery: _resources_pb2.Delivery
    replayed: bool
    def __init__(self, delivery: _Optional[_Union[_resources_pb2.Delivery, _Mapping]] = ..., replayed: bool = ...) -> None: ...

class GetDeliveryRequest(_message.Message):
    __slots__ = ["delivery_id"]
    DELIVERY_ID_FIELD_NUMBER: _ClassVar[int]
    delivery_id: str
    def __init__(self, delivery_id: _Optional[str] = ...) -> None: ...

class GetDeliveryResponse(_message.Message):
    __slots__ = ["delivery"]
    DELIVERY_FIELD_NUMBER: _ClassVar[int]
    delivery: _resources_pb2.Delivery
    def __init__(self, delivery: _Optional[_Union[_resources_pb2.Delivery, _Mapping]] = ...) -> None: ...

class ListDeliveriesRequest(_message.Message):
    __slots__ = ["conversation_id", "page_size", "page_token", "status", "tenant_id"]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    conversation_id: str
    page_size: int
    page_token: str
    status: _resources_pb2.DeliveryStatus
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., status: _Optional[_Union[_resources_pb2.DeliveryStatus, str]] = ..., conversation_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListDeliveriesResponse(_message.Message):
    __slots__ = ["deliveries", "next_page_token"]
    DELIVERIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    deliveries: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Delivery]
    next_page_token: str
    def __init__(self, deliveries: _Optional[_Iterable[_Union[_resources_pb2.Delivery, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class WatchDeliveriesRequest(_message.Message):
    __slots__ = ["delivery_ids", "tenant_id"]
    DELIVERY_IDS_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    delivery_ids: _containers.RepeatedScalarFieldContainer[str]
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., delivery_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class WatchDeliveriesResponse(_message.Message):
    __slots__ = ["delivery"]
    DELIVERY_FIELD_NUMBER: _ClassVar[int]
    delivery: _resources_pb2.Delivery
    def __init__(self, delivery: _Optional[_Union[_resources_pb2.Delivery, _Mapping]] = ...) -> None: ...
