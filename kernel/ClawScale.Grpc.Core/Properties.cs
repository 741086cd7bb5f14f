using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("ClawScale.Grpc.AspNetCore")]
[assembly: InternalsVisibleTo("ClawScale.Grpc.Client")]
[assembly: InternalsVisibleTo("ClawScale.Grpc.Tests")]
