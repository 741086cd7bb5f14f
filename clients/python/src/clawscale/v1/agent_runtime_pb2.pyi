from clawscale.v1 import runtime_pb2 as _runtime_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class HandleTurnRequest(_message.Message):
    __slots__ = ["turn"]
    TURN_FIELD_NUMBER: _ClassVar[int]
    turn: _runtime_pb2.RuntimeTurn
    def __init__(self, turn: _Optional[_Union[_runtime_pb2.RuntimeTurn, _Mapping]] = ...) -> None: ...

class HandleTurnResponse(_message.Message):
    __slots__ = ["error", "messages"]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    error: str
    messages: _containers.RepeatedCompositeFieldContainer[_runtime_pb2.ReplyMessage]
    def __init__(self, messages: _Optional[_Iterable[_Union[_runtime_pb2.ReplyMessage, _Mapping]]] = ..., error: _Optional[str] = ...) -> None: ...
