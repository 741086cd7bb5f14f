using ClawScale.Grpc.Tests.Infrastructure;
using Google.Protobuf.Reflection;
using V1 = Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace ClawScale.Grpc.Tests.Server;

public sealed class ReflectionServiceTests(DefaultServer server) : IClassFixture<DefaultServer>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private async Task<V1.ServerReflectionResponse> AskV1Async(V1.ServerReflectionRequest request)
    {
        using var channel = server.CreateChannel();
        var client = new V1.ServerReflection.ServerReflectionClient(channel);
        using var call = client.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(request);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Bound));
        var response = call.ResponseStream.Current;
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Bound));
        return response;
    }

    private async Task<V1Alpha.ServerReflectionResponse> AskV1AlphaAsync(V1Alpha.ServerReflectionRequest request)
    {
        using var channel = server.CreateChannel();
        var client = new V1Alpha.ServerReflection.ServerReflectionClient(channel);
        using var call = client.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(request);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Bound));
        var response = call.ResponseStream.Current;
        await call.RequestStream.CompleteAsync();
        return response;
    }

    private static readonly string[] ExpectedServices =
    [
        "clawscale.test.v1.TestService",
        "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection",
        "grpc.reflection.v1alpha.ServerReflection",
    ];

    [Fact]
    public async Task V1_lists_every_mapped_service()
    {
        var response = await AskV1Async(new V1.ServerReflectionRequest { ListServices = "*" });

        var names = response.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Equal(ExpectedServices.Order(), names.Order());
        Assert.DoesNotContain("clawscale.test.v1.OtherService", names);
    }

    [Fact]
    public async Task V1alpha_lists_every_mapped_service()
    {
        var response = await AskV1AlphaAsync(new V1Alpha.ServerReflectionRequest { ListServices = "" });

        Assert.Equal(ExpectedServices.Order(), response.ListServicesResponse.Service.Select(s => s.Name).Order());
    }

    [Theory]
    [InlineData("clawscale.test.v1.TestService")]
    [InlineData("clawscale.test.v1.TestService.Echo")]
    [InlineData("clawscale.test.v1.EchoRequest")]
    [InlineData("clawscale.test.v1.EchoRequest.Nested")]
    [InlineData("clawscale.test.v1.Mood")]
    [InlineData(".clawscale.test.v1.EchoReply")]
    public async Task V1_file_containing_symbol_returns_the_file_and_its_dependencies(string symbol)
    {
        var response = await AskV1Async(new V1.ServerReflectionRequest { FileContainingSymbol = symbol });

        var files = response.FileDescriptorResponse.FileDescriptorProto.Select(FileDescriptorProto.Parser.ParseFrom).ToList();
        Assert.Equal("clawscale/test/v1/test.proto", files[0].Name);
        Assert.Contains(files, f => f.Name == "google/protobuf/timestamp.proto");
        Assert.Contains(files[0].Service, s => s.Name == "TestService");
    }

    [Fact]
    public async Task V1alpha_file_containing_symbol_returns_the_file()
    {
        var response = await AskV1AlphaAsync(new V1Alpha.ServerReflectionRequest { FileContainingSymbol = "grpc.health.v1.Health" });

        var file = FileDescriptorProto.Parser.ParseFrom(response.FileDescriptorResponse.FileDescriptorProto[0]);
        Assert.Equal("grpc/health/v1/health.proto", file.Name);
    }

    [Fact]
    public async Task Unknown_symbol_is_a_NOT_FOUND_error_response()
    {
        var response = await AskV1Async(new V1.ServerReflectionRequest { FileContainingSymbol = "no.such.Symbol" });

        Assert.Equal(5, response.ErrorResponse.ErrorCode);
        Assert.Contains("no.such.Symbol", response.ErrorResponse.ErrorMessage);
    }

    [Fact]
    public async Task File_by_filename_finds_dependencies_too()
    {
        var response = await AskV1Async(new V1.ServerReflectionRequest { FileByFilename = "google/protobuf/timestamp.proto" });

        var file = FileDescriptorProto.Parser.ParseFrom(response.FileDescriptorResponse.FileDescriptorProto[0]);
        Assert.Equal("google/protobuf/timestamp.proto", file.Name);
    }

    [Fact]
    public async Task Extension_queries_answer_without_failing_the_stream()
    {
        var numbers = await AskV1Async(new V1.ServerReflectionRequest { AllExtensionNumbersOfType = "clawscale.test.v1.EchoRequest" });
        var missing = await AskV1Async(new V1.ServerReflectionRequest { FileContainingExtension = new V1.ExtensionRequest { ContainingType = "clawscale.test.v1.EchoRequest", ExtensionNumber = 100 } });

        Assert.Equal("clawscale.test.v1.EchoRequest", numbers.AllExtensionNumbersResponse.BaseTypeName);
        Assert.Empty(numbers.AllExtensionNumbersResponse.ExtensionNumber);
        Assert.Equal(5, missing.ErrorResponse.ErrorCode);
    }

    [Fact]
    public async Task Several_requests_on_one_stream_each_get_an_answer()
    {
        using var channel = server.CreateChannel();
        var client = new V1.ServerReflection.ServerReflectionClient(channel);
        using var call = client.ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new V1.ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.WriteAsync(new V1.ServerReflectionRequest { FileContainingSymbol = "clawscale.test.v1.TestService" });
        await call.RequestStream.CompleteAsync();

        var responses = new List<V1.ServerReflectionResponse>();
        while (await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Bound))
        {
            responses.Add(call.ResponseStream.Current);
        }

        Assert.Equal(2, responses.Count);
        Assert.Equal(V1.ServerReflectionResponse.MessageResponseOneofCase.ListServicesResponse, responses[0].MessageResponseCase);
        Assert.Equal(V1.ServerReflectionResponse.MessageResponseOneofCase.FileDescriptorResponse, responses[1].MessageResponseCase);
    }
}
