using ClawScale.Grpc.AspNetCore.Internal;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Reflection.V1;

namespace ClawScale.Grpc.AspNetCore.Reflection;

/// <summary>
/// Answers grpc.reflection.v1 requests from the descriptors of the mapped services: list_services,
/// file_by_filename, file_containing_symbol, file_containing_extension and all_extension_numbers_of_type.
/// Files are sent as <c>FileDescriptor.SerializedData</c> with their transitive dependencies.
/// </summary>
internal sealed class ReflectionResolver
{
    private readonly List<string> _serviceNames = [];
    private readonly Dictionary<string, FileDescriptor> _filesByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileDescriptor> _filesBySymbol = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<FieldDescriptor>> _extensionsByType = new(StringComparer.Ordinal);

    public ReflectionResolver(GrpcServiceRegistry registry)
    {
        foreach (var service in registry.Services)
        {
            _serviceNames.Add(service.Name);
            if (service.Descriptor is { } descriptor)
            {
                AddFile(descriptor.File);
            }
        }
    }

    public ServerReflectionResponse Resolve(ServerReflectionRequest request)
    {
        var response = new ServerReflectionResponse { ValidHost = request.Host, OriginalRequest = request };
        switch (request.MessageRequestCase)
        {
            case ServerReflectionRequest.MessageRequestOneofCase.ListServices:
                var list = new ListServiceResponse();
                list.Service.AddRange(_serviceNames.Select(n => new ServiceResponse { Name = n }));
                response.ListServicesResponse = list;
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileByFilename:
                response = _filesByName.TryGetValue(request.FileByFilename, out var file)
                    ? WithFile(response, file)
                    : WithError(response, global::Grpc.Core.StatusCode.NotFound, $"File not found: {request.FileByFilename}");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingSymbol:
                var symbol = request.FileContainingSymbol.TrimStart('.');
                response = _filesBySymbol.TryGetValue(symbol, out var symbolFile)
                    ? WithFile(response, symbolFile)
                    : WithError(response, global::Grpc.Core.StatusCode.NotFound, $"Symbol not found: {symbol}");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingExtension:
                var ext = request.FileContainingExtension;
                var field = _extensionsByType.TryGetValue(ext.ContainingType.TrimStart('.'), out var fields)
                    ? fields.FirstOrDefault(f => f.FieldNumber == ext.ExtensionNumber)
                    : null;
                response = field is not null
                    ? WithFile(response, field.File)
                    : WithError(response, global::Grpc.Core.StatusCode.NotFound, $"Extension not found: {ext.ContainingType} {ext.ExtensionNumber}");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.AllExtensionNumbersOfType:
                var typeName = request.AllExtensionNumbersOfType.TrimStart('.');
                if (_filesBySymbol.ContainsKey(typeName))
                {
                    var numbers = new ExtensionNumberResponse { BaseTypeName = typeName };
                    if (_extensionsByType.TryGetValue(typeName, out var extensions))
                    {
                        numbers.ExtensionNumber.AddRange(extensions.Select(f => f.FieldNumber));
                    }

                    response.AllExtensionNumbersResponse = numbers;
                }
                else
                {
                    response = WithError(response, global::Grpc.Core.StatusCode.NotFound, $"Type not found: {typeName}");
                }

                break;
            default:
                response = WithError(response, global::Grpc.Core.StatusCode.InvalidArgument, "The reflection request names no known message_request.");
                break;
        }

        return response;
    }

    private static ServerReflectionResponse WithFile(ServerReflectionResponse response, FileDescriptor file)
    {
        var files = new FileDescriptorResponse();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<FileDescriptor>();
        stack.Push(file);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            if (!seen.Add(current.Name))
            {
                continue;
            }

            files.FileDescriptorProto.Add(current.SerializedData);
            foreach (var dependency in current.Dependencies)
            {
                stack.Push(dependency);
            }
        }

        response.FileDescriptorResponse = files;
        return response;
    }

    private static ServerReflectionResponse WithError(ServerReflectionResponse response, global::Grpc.Core.StatusCode code, string message)
    {
        response.ErrorResponse = new ErrorResponse { ErrorCode = (int)code, ErrorMessage = message };
        return response;
    }

    private void AddFile(FileDescriptor file)
    {
        if (!_filesByName.TryAdd(file.Name, file))
        {
            return;
        }

        foreach (var dependency in file.Dependencies)
        {
            AddFile(dependency);
        }

        foreach (var service in file.Services)
        {
            _filesBySymbol[service.FullName] = file;
            foreach (var method in service.Methods)
            {
                _filesBySymbol[method.FullName] = file;
            }
        }

        foreach (var message in file.MessageTypes)
        {
            AddMessage(file, message);
        }

        foreach (var enumType in file.EnumTypes)
        {
            _filesBySymbol[enumType.FullName] = file;
        }

        foreach (var extension in file.Extensions.UnorderedExtensions)
        {
            _filesBySymbol[extension.FullName] = file;
            AddExtension(extension);
        }
    }

    private void AddMessage(FileDescriptor file, MessageDescriptor message)
    {
        _filesBySymbol[message.FullName] = file;
        foreach (var nested in message.NestedTypes)
        {
            AddMessage(file, nested);
        }

        foreach (var enumType in message.EnumTypes)
        {
            _filesBySymbol[enumType.FullName] = file;
        }

        foreach (var extension in message.Extensions.UnorderedExtensions)
        {
            AddExtension(extension);
        }
    }

    private void AddExtension(FieldDescriptor extension)
    {
        var extendee = extension.ExtendeeType?.FullName;
        if (extendee is null)
        {
            return;
        }

        if (!_extensionsByType.TryGetValue(extendee, out var list))
        {
            _extensionsByType[extendee] = list = [];
        }

        list.Add(extension);
    }

    /// <summary>Converts between the wire-identical v1 and v1alpha messages.</summary>
    public static TTarget Convert<TTarget>(IMessage source, MessageParser<TTarget> parser)
        where TTarget : IMessage<TTarget> => parser.ParseFrom(source.ToByteString());
}
