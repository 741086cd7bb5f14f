using System.Text.Json.Serialization;

namespace ClawScale.Plugins.Matrix.Model;

/// <summary>Source-generated System.Text.Json metadata for the Matrix client-server API shapes.</summary>
[JsonSerializable(typeof(MatrixSyncResponse))]
[JsonSerializable(typeof(MatrixError))]
[JsonSerializable(typeof(MatrixWhoAmI))]
[JsonSerializable(typeof(MatrixEventIdResponse))]
[JsonSerializable(typeof(MatrixJoinedMembers))]
[JsonSerializable(typeof(MatrixProfile))]
[JsonSerializable(typeof(MatrixCheckpoint))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
public sealed partial class MatrixJsonContext : JsonSerializerContext;
