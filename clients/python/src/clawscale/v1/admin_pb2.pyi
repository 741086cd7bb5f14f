from clawscale.v1 import resources_pb2 as _resources_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AdminGetCustomerRequest(_message.Message):
    __slots__ = ["customer_id"]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    customer_id: str
    def __init__(self, customer_id: _Optional[str] = ...) -> None: ...

class AdminGetCustomerResponse(_message.Message):
    __slots__ = ["customer", "identities"]
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    IDENTITIES_FIELD_NUMBER: _ClassVar[int]
    customer: _resources_pb2.Customer
    identities: _containers.RepeatedCompositeFieldContainer[_resources_pb2.ExternalIdentity]
    def __init__(self, customer: _Optional[_Union[_resources_pb2.Customer, _Mapping]] = ..., identities: _Optional[_Iterable[_Union[_resources_pb2.ExternalIdentity, _Mapping]]] = ...) -> None: ...

class AdminListDeliveriesRequest(_message.Message):
    __slots__ = ["page_size", "page_token", "status", "tenant_id"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    status: _resources_pb2.DeliveryStatus
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., status: _Optional[_Union[_resources_pb2.DeliveryStatus, str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class AdminListDeliveriesResponse(_message.Message):
    __slots__ = ["deliveries", "next_page_token"]
    DELIVERIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    deliveries: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Delivery]
    next_page_token: str
    def __init__(self, deliveries: _Optional[_Iterable[_Union[_resources_pb2.Delivery, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class CreateAgentBindingRequest(_message.Message):
    __slots__ = ["agent_id", "channel_id", "customer_id", "tenant_id"]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    agent_id: str
    channel_id: str
    customer_id: str
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., agent_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., channel_id: _Optional[str] = ...) -> None: ...

class CreateAgentBindingResponse(_message.Message):
    __slots__ = ["binding"]
    BINDING_FIELD_NUMBER: _ClassVar[int]
    binding: _resources_pb2.AgentBinding
    def __init__(self, binding: _Optional[_Union[_resources_pb2.AgentBinding, _Mapping]] = ...) -> None: ...

class CreateAgentRequest(_message.Message):
    __slots__ = ["config", "credentials", "kind", "name", "tenant_id"]
    class ConfigEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class CredentialsEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    config: _containers.ScalarMap[str, str]
    credentials: _containers.ScalarMap[str, str]
    kind: str
    name: str
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[str] = ..., config: _Optional[_Mapping[str, str]] = ..., credentials: _Optional[_Mapping[str, str]] = ...) -> None: ...

class CreateAgentResponse(_message.Message):
    __slots__ = ["agent"]
    AGENT_FIELD_NUMBER: _ClassVar[int]
    agent: _resources_pb2.Agent
    def __init__(self, agent: _Optional[_Union[_resources_pb2.Agent, _Mapping]] = ...) -> None: ...

class CreateApiKeyRequest(_message.Message):
    __slots__ = ["agent_ids", "name", "scope", "tenant_id"]
    AGENT_IDS_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    agent_ids: _containers.RepeatedScalarFieldContainer[str]
    name: str
    scope: _resources_pb2.ApiKeyScope
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., name: _Optional[str] = ..., scope: _Optional[_Union[_resources_pb2.ApiKeyScope, str]] = ..., agent_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class CreateApiKeyResponse(_message.Message):
    __slots__ = ["api_key", "secret"]
    API_KEY_FIELD_NUMBER: _ClassVar[int]
    SECRET_FIELD_NUMBER: _ClassVar[int]
    api_key: _resources_pb2.ApiKey
    secret: str
    def __init__(self, api_key: _Optional[_Union[_resources_pb2.ApiKey, _Mapping]] = ..., secret: _Optional[str] = ...) -> None: ...

class CreateChannelRequest(_message.Message):
    __slots__ = ["config", "credentials", "customer_id", "display_name", "kind", "ownership", "tenant_id", "webhook_secret"]
    class ConfigEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class CredentialsEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    OWNERSHIP_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    WEBHOOK_SECRET_FIELD_NUMBER: _ClassVar[int]
    config: _containers.ScalarMap[str, str]
    credentials: _containers.ScalarMap[str, str]
    customer_id: str
    display_name: str
    kind: str
    ownership: _resources_pb2.ChannelOwnership
    tenant_id: str
    webhook_secret: str
    def __init__(self, tenant_id: _Optional[str] = ..., kind: _Optional[str] = ..., display_name: _Optional[str] = ..., ownership: _Optional[_Union[_resources_pb2.ChannelOwnership, str]] = ..., customer_id: _Optional[str] = ..., config: _Optional[_Mapping[str, str]] = ..., credentials: _Optional[_Mapping[str, str]] = ..., webhook_secret: _Optional[str] = ...) -> None: ...

class CreateChannelResponse(_message.Message):
    __slots__ = ["channel"]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    channel: _resources_pb2.Channel
    def __init__(self, channel: _Optional[_Union[_resources_pb2.Channel, _Mapping]] = ...) -> None: ...

class CreateJoinLinkRequest(_message.Message):
    __slots__ = ["channel_id", "customer_id", "invite_url", "label", "max_uses", "tenant_id", "ttl_seconds"]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    INVITE_URL_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    MAX_USES_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    TTL_SECONDS_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    customer_id: str
    invite_url: str
    label: str
    max_uses: int
    tenant_id: str
    ttl_seconds: int
    def __init__(self, tenant_id: _Optional[str] = ..., channel_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., label: _Optional[str] = ..., ttl_seconds: _Optional[int] = ..., max_uses: _Optional[int] = ..., invite_url: _Optional[str] = ...) -> None: ...

class CreateJoinLinkResponse(_message.Message):
    __slots__ = ["join_link", "start_code", "token", "url"]
    JOIN_LINK_FIELD_NUMBER: _ClassVar[int]
    START_CODE_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    join_link: _resources_pb2.JoinLink
    start_code: str
    token: str
    url: str
    def __init__(self, join_link: _Optional[_Union[_resources_pb2.JoinLink, _Mapping]] = ..., url: _Optional[str] = ..., token: _Optional[str] = ..., start_code: _Optional[str] = ...) -> None: ...

class CreateTenantRequest(_message.Message):
    __slots__ = ["display_name", "slug"]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    SLUG_FIELD_NUMBER: _ClassVar[int]
    display_name: str
    slug: str
    def __init__(self, slug: _Optional[str] = ..., display_name: _Optional[str] = ...) -> None: ...

class CreateTenantResponse(_message.Message):
    __slots__ = ["tenant"]
    TENANT_FIELD_NUMBER: _ClassVar[int]
    tenant: _resources_pb2.Tenant
    def __init__(self, tenant: _Optional[_Union[_resources_pb2.Tenant, _Mapping]] = ...) -> None: ...

class DeleteAgentBindingRequest(_message.Message):
    __slots__ = ["binding_id"]
    BINDING_ID_FIELD_NUMBER: _ClassVar[int]
    binding_id: str
    def __init__(self, binding_id: _Optional[str] = ...) -> None: ...

class DeleteAgentBindingResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class DeleteAgentRequest(_message.Message):
    __slots__ = ["agent_id", "force"]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    FORCE_FIELD_NUMBER: _ClassVar[int]
    agent_id: str
    force: bool
    def __init__(self, agent_id: _Optional[str] = ..., force: bool = ...) -> None: ...

class DeleteAgentResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class DeleteChannelRequest(_message.Message):
    __slots__ = ["channel_id"]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    def __init__(self, channel_id: _Optional[str] = ...) -> None: ...

class DeleteChannelResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class DeleteTenantRequest(_message.Message):
    __slots__ = ["tenant_id"]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ...) -> None: ...

class DeleteTenantResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetAgentRequest(_message.Message):
    __slots__ = ["agent_id"]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    agent_id: str
    def __init__(self, agent_id: _Optional[str] = ...) -> None: ...

class GetAgentResponse(_message.Message):
    __slots__ = ["agent"]
    AGENT_FIELD_NUMBER: _ClassVar[int]
    agent: _resources_pb2.Agent
    def __init__(self, agent: _Optional[_Union[_resources_pb2.Agent, _Mapping]] = ...) -> None: ...

class GetChannelRequest(_message.Message):
    __slots__ = ["channel_id"]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    def __init__(self, channel_id: _Optional[str] = ...) -> None: ...

class GetChannelResponse(_message.Message):
    __slots__ = ["channel"]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    channel: _resources_pb2.Channel
    def __init__(self, channel: _Optional[_Union[_resources_pb2.Channel, _Mapping]] = ...) -> None: ...

class GetTenantRequest(_message.Message):
    __slots__ = ["tenant_id"]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ...) -> None: ...

class GetTenantResponse(_message.Message):
    __slots__ = ["tenant"]
    TENANT_FIELD_NUMBER: _ClassVar[int]
    tenant: _resources_pb2.Tenant
    def __init__(self, tenant: _Optional[_Union[_resources_pb2.Tenant, _Mapping]] = ...) -> None: ...

class ListAgentBindingsRequest(_message.Message):
    __slots__ = ["agent_id", "channel_id", "customer_id", "tenant_id"]
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    agent_id: str
    channel_id: str
    customer_id: str
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., agent_id: _Optional[str] = ..., customer_id: _Optional[str] = ..., channel_id: _Optional[str] = ...) -> None: ...

class ListAgentBindingsResponse(_message.Message):
    __slots__ = ["bindings"]
    BINDINGS_FIELD_NUMBER: _ClassVar[int]
    bindings: _containers.RepeatedCompositeFieldContainer[_resources_pb2.AgentBinding]
    def __init__(self, bindings: _Optional[_Iterable[_Union[_resources_pb2.AgentBinding, _Mapping]]] = ...) -> None: ...

class ListAgentsRequest(_message.Message):
    __slots__ = ["page_size", "page_token", "tenant_id"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListAgentsResponse(_message.Message):
    __slots__ = ["agents", "next_page_token"]
    AGENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    agents: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Agent]
    next_page_token: str
    def __init__(self, agents: _Optional[_Iterable[_Union[_resources_pb2.Agent, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListApiKeysRequest(_message.Message):
    __slots__ = ["include_revoked", "tenant_id"]
    INCLUDE_REVOKED_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    include_revoked: bool
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., include_revoked: bool = ...) -> None: ...

class ListApiKeysResponse(_message.Message):
    __slots__ = ["api_keys"]
    API_KEYS_FIELD_NUMBER: _ClassVar[int]
    api_keys: _containers.RepeatedCompositeFieldContainer[_resources_pb2.ApiKey]
    def __init__(self, api_keys: _Optional[_Iterable[_Union[_resources_pb2.ApiKey, _Mapping]]] = ...) -> None: ...

class ListChannelsRequest(_message.Message):
    __slots__ = ["kind", "page_size", "page_token", "tenant_id"]
    KIND_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    kind: str
    page_size: int
    page_token: str
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., kind: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListChannelsResponse(_message.Message):
    __slots__ = ["channels", "next_page_token"]
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    channels: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Channel]
    next_page_token: str
    def __init__(self, channels: _Optional[_Iterable[_Union[_resources_pb2.Channel, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListCustomersRequest(_message.Message):
    __slots__ = ["page_size", "page_token", "tenant_id"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListCustomersResponse(_message.Message):
    __slots__ = ["customers", "next_page_token"]
    CUSTOMERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    customers: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Customer]
    next_page_token: str
    def __init__(self, customers: _Optional[_Iterable[_Union[_resources_pb2.Customer, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListJoinLinksRequest(_message.Message):
    __slots__ = ["channel_id", "include_inactive", "page_size", "page_token", "tenant_id"]
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_INACTIVE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    include_inactive: bool
    page_size: int
    page_token: str
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., channel_id: _Optional[str] = ..., include_inactive: bool = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListJoinLinksResponse(_message.Message):
    __slots__ = ["join_links", "next_page_token"]
    JOIN_LINKS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    join_links: _containers.RepeatedCompositeFieldContainer[_resources_pb2.JoinLink]
    next_page_token: str
    def __init__(self, join_links: _Optional[_Iterable[_Union[_resources_pb2.JoinLink, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListKindsRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListKindsResponse(_message.Message):
    __slots__ = ["agent_kinds", "channel_kinds"]
    AGENT_KINDS_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_KINDS_FIELD_NUMBER: _ClassVar[int]
    agent_kinds: _containers.RepeatedCompositeFieldContainer[_resources_pb2.KindSchema]
    channel_kinds: _containers.RepeatedCompositeFieldContainer[_resources_pb2.KindSchema]
    def __init__(self, channel_kinds: _Optional[_Iterable[_Union[_resources_pb2.KindSchema, _Mapping]]] = ..., agent_kinds: _Optional[_Iterable[_Union[_resources_pb2.KindSchema, _Mapping]]] = ...) -> None: ...

class ListPluginsRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ListPluginsResponse(_message.Message):
    __slots__ = ["plugins"]
    PLUGINS_FIELD_NUMBER: _ClassVar[int]
    plugins: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Plugin]
    def __init__(self, plugins: _Optional[_Iterable[_Union[_resources_pb2.Plugin, _Mapping]]] = ...) -> None: ...

class ListTenantsRequest(_message.Message):
    __slots__ = ["page_size", "page_token"]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListTenantsResponse(_message.Message):
    __slots__ = ["next_page_token", "tenants"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TENANTS_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    tenants: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Tenant]
    def __init__(self, tenants: _Optional[_Iterable[_Union[_resources_pb2.Tenant, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListTurnsRequest(_message.Message):
    __slots__ = ["conversation_id", "page_size", "page_token", "status", "tenant_id"]
    CONVERSATION_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    conversation_id: str
    page_size: int
    page_token: str
    status: _resources_pb2.TurnStatus
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., status: _Optional[_Union[_resources_pb2.TurnStatus, str]] = ..., conversation_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListTurnsResponse(_message.Message):
    __slots__ = ["next_page_token", "turns"]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TURNS_FIELD_NUMBER: _ClassVar[int]
    next_page_token: str
    turns: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Turn]
    def __init__(self, turns: _Optional[_Iterable[_Union[_resources_pb2.Turn, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ReloadPluginsRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ReloadPluginsResponse(_message.Message):
    __slots__ = ["plugins"]
    PLUGINS_FIELD_NUMBER: _ClassVar[int]
    plugins: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Plugin]
    def __init__(self, plugins: _Optional[_Iterable[_Union[_resources_pb2.Plugin, _Mapping]]] = ...) -> None: ...

class RetryDeliveryRequest(_message.Message):
    __slots__ = ["delivery_id"]
    DELIVERY_ID_FIELD_NUMBER: _ClassVar[int]
    delivery_id: str
    def __init__(self, delivery_id: _Optional[str] = ...) -> None: ...

class RetryDeliveryResponse(_message.Message):
    __slots__ = ["delivery"]
    DELIVERY_FIELD_NUMBER: _ClassVar[int]
    delivery: _resources_pb2.Delivery
    def __init__(self, delivery: _Optional[_Union[_resources_pb2.Delivery, _Mapping]] = ...) -> None: ...

class RevokeApiKeyRequest(_message.Message):
    __slots__ = ["api_key_id"]
    API_KEY_ID_FIELD_NUMBER: _ClassVar[int]
    api_key_id: str
    def __init__(self, api_key_id: _Optional[str] = ...) -> None: ...

class RevokeApiKeyResponse(_message.Message):
    __slots__ = ["api_key"]
    API_KEY_FIELD_NUMBER: _ClassVar[int]
    api_key: _resources_pb2.ApiKey
    def __init__(self, api_key: _Optional[_Union[_resources_pb2.ApiKey, _Mapping]] = ...) -> None: ...

class RevokeJoinLinkRequest(_message.Message):
    __slots__ = ["join_link_id"]
    JOIN_LINK_ID_FIELD_NUMBER: _ClassVar[int]
    join_link_id: str
    def __init__(self, join_link_id: _Optional[str] = ...) -> None: ...

class RevokeJoinLinkResponse(_message.Message):
    __slots__ = ["join_link"]
    JOIN_LINK_FIELD_NUMBER: _ClassVar[int]
    join_link: _resources_pb2.JoinLink
    def __init__(self, join_link: _Optional[_Union[_resources_pb2.JoinLink, _Mapping]] = ...) -> None: ...

class UpdateAgentRequest(_message.Message):
    __slots__ = ["agent_id", "config", "credentials", "name"]
    class ConfigEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class CredentialsEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    AGENT_ID_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    agent_id: str
    config: _containers.ScalarMap[str, str]
    credentials: _containers.ScalarMap[str, str]
    name: str
    def __init__(self, agent_id: _Optional[str] = ..., name: _Optional[str] = ..., config: _Optional[_Mapping[str, str]] = ..., credentials: _Optional[_Mapping[str, str]] = ...) -> None: ...

class UpdateAgentResponse(_message.Message):
    __slots__ = ["agent"]
    AGENT_FIELD_NUMBER: _ClassVar[int]
    agent: _resources_pb2.Agent
    def __init__(self, agent: _Optional[_Union[_resources_pb2.Agent, _Mapping]] = ...) -> None: ...

class UpdateChannelRequest(_message.Message):
    __slots__ = ["channel_id", "config", "credentials", "display_name", "status", "webhook_secret"]
    class ConfigEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class CredentialsEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    CHANNEL_ID_FIELD_NUMBER: _ClassVar[int]
    CONFIG_FIELD_NUMBER: _ClassVar[int]
    CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    WEBHOOK_SECRET_FIELD_NUMBER: _ClassVar[int]
    channel_id: str
    config: _containers.ScalarMap[str, str]
    credentials: _containers.ScalarMap[str, str]
    display_name: str
    status: _resources_pb2.ChannelStatus
    webhook_secret: str
    def __init__(self, channel_id: _Optional[str] = ..., display_name: _Optional[str] = ..., config: _Optional[_Mapping[str, str]] = ..., credentials: _Optional[_Mapping[str, str]] = ..., status: _Optional[_Union[_resources_pb2.ChannelStatus, str]] = ..., webhook_secret: _Optional[str] = ...) -> None: ...

class UpdateChannelResponse(_message.Message):
    __slots__ = ["channel"]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    channel: _resources_pb2.Channel
    def __init__(self, channel: _Optional[_Union[_resources_pb2.Channel, _Mapping]] = ...) -> None: ...

class UpdateTenantRequest(_message.Message):
    __slots__ = ["display_name", "tenant_id"]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    display_name: str
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., display_name: _Optional[str] = ...) -> None: ...

class UpdateTenantResponse(_message.Message):
    __slots__ = ["tenant"]
    TENANT_FIELD_NUMBER: _ClassVar[int]
    tenant: _resources_pb2.Tenant
    def __init__(self, tenant: _Optional[_Union[_resources_pb2.Tenant, _Mapping]] = ...) -> None: ...
