from clawscale.v1 import resources_pb2 as _resources_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ExternalIdentityKey(_message.Message):
    __slots__ = ["identity_type", "provider", "value"]
    IDENTITY_TYPE_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    identity_type: str
    provider: str
    value: str
    def __init__(self, provider: _Optional[str] = ..., identity_type: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...

class GetCustomerRequest(_message.Message):
    __slots__ = ["customer_id"]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    def __init__(self, customer_id: _Optional[str] = ...) -> None: ...

class GetCustomerResponse(_message.Message):
    __slots__ = ["customer", "identities"]
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    IDENTITIES_FIELD_NUMBER: _ClassVar[int]
    customer: _resources_pb2.Customer
    identities: _containers.RepeatedCompositeFieldContainer[_resources_pb2.ExternalIdentity]
    def __init__(self, customer: _Optional[_Union[_resources_pb2.Customer, _Mapping]] = ..., identities: _Optional[_Iterable[_Union[_resources_pb2.ExternalIdentity, _Mapping]]] = ...) -> None: ...

class LinkExternalIdentityRequest(_message.Message):
    __slots__ = ["customer_id", "identity"]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    IDENTITY_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    identity: ExternalIdentityKey
    def __init__(self, customer_id: _Optional[str] = ..., identity: _Optional[_Union[ExternalIdentityKey, _Mapping]] = ...) -> None: ...

class LinkExternalIdentityResponse(_message.Message):
    __slots__ = ["identity"]
    IDENTITY_FIELD_NUMBER: _ClassVar[int]
    identity: _resources_pb2.ExternalIdentity
    def __init__(self, identity: _Optional[_Union[_resources_pb2.ExternalIdentity, _Mapping]] = ...) -> None: ...

class ListExternalIdentitiesRequest(_message.Message):
    __slots__ = ["customer_id"]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    def __init__(self, customer_id: _Optional[str] = ...) -> None: ...

class ListExternalIdentitiesResponse(_message.Message):
    __slots__ = ["identities"]
    IDENTITIES_FIELD_NUMBER: _ClassVar[int]
    identities: _containers.RepeatedCompositeFieldContainer[_resources_pb2.ExternalIdentity]
    def __init__(self, identities: _Optional[_Iterable[_Union[_resources_pb2.ExternalIdentity, _Mapping]]] = ...) -> None: ...

class ResolveExternalIdentityRequest(_message.Message):
    __slots__ = ["create_if_missing", "display_name", "identity", "tenant_id"]
    CREATE_IF_MISSING_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    IDENTITY_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    create_if_missing: bool
    display_name: str
    identity: ExternalIdentityKey
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., identity: _Optional[_Union[ExternalIdentityKey, _Mapping]] = ..., display_name: _Optional[str] = ..., create_if_missing: bool = ...) -> None: ...

class ResolveExternalIdentityResponse(_message.Message):
    __slots__ = ["created", "customer", "identity"]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    IDENTITY_FIELD_NUMBER: _ClassVar[int]
    created: bool
    customer: _resources_pb2.Customer
    identity: _resources_pb2.ExternalIdentity
    def __init__(self, customer: _Optional[_Union[_resources_pb2.Customer, _Mapping]] = ..., identity: _Optional[_Union[_resources_pb2.ExternalIdentity, _Mapping]] = ..., created: bool = ...) -> None: ...

class UnlinkExternalIdentityRequest(_message.Message):
    __slots__ = ["customer_id", "external_identity_id", "identity"]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_IDENTITY_ID_FIELD_NUMBER: _ClassVar[int]
    IDENTITY_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    external_identity_id: str
    identity: ExternalIdentityKey
    def __init__(self, customer_id: _Optional[str] = ..., external_identity_id: _Optional[str] = ..., identity: _Optional[_Union[ExternalIdentityKey, _Mapping]] = ...) -> None: ...

class UnlinkExternalIdentityResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...
