using ClawScale.Protos.V1;
using Google.Protobuf;

namespace ClawScale.Kernel.Runtime;

/// <summary>
/// Fits a <see cref="RuntimeTurn"/> into one gRPC message: its history within a byte budget
/// (<c>ClawScale:Pipeline:HistoryMaxBytes</c>) and the whole turn within the largest message the kernel sends
/// (<c>ClawScale:Grpc:MaxSendMessageSize</c>), so that a long conversation never ends a runtime's stream with
/// RESOURCE_EXHAUSTED (grpc-dotnet refuses to send a larger message; clients refuse to receive one over 4 MiB by default).
/// </summary>
/// <remarks>
/// Sizes are protobuf-encoded sizes (what goes on the wire inside the gRPC frame). History stays a contiguous run of the
/// newest messages, oldest first: messages are taken newest first while they fit; the first that does not fit ends
/// history, except that a message larger than the whole budget on its own is cut into what is left rather than left
/// out. A cut message keeps its ids, role and time; its attachments lose their inline <c>data</c> (url,
/// provider_file_id, mime_type and size_bytes stay) and are dropped from the last only if even that does not fit; its
/// text is shortened at a character boundary and ends with <see cref="TruncationMarker"/>. The turn reports it:
/// <c>history_truncated</c>, <c>history_omitted</c>, <c>message_truncated</c> (runtime.proto).
/// </remarks>
internal static class RuntimeTurnBudget
{
    /// <summary>The end of the text of a message that was cut to fit (runtime.proto documents it).</summary>
    public const string TruncationMarker = Pipeline.Accept.InboundText.TruncationMarker;

    /// <summary>Room kept for what wraps the turn on the wire (<c>ConnectResponse.turn</c>, <c>HandleTurnRequest.turn</c>).</summary>
    public const int EnvelopeBytes = 16;

    /// <summary>
    /// Sets <paramref name="turn"/>'s history from <paramref name="window"/> (oldest first) within
    /// <paramref name="historyMaxBytes"/>, then shrinks the turn (history first, oldest first; then its message) until
    /// it encodes in at most <paramref name="maxSendMessageSize"/> − <see cref="EnvelopeBytes"/> bytes.
    /// </summary>
    public static void Fill(RuntimeTurn turn, IReadOnlyList<Message> window, int historyMaxBytes, int maxSendMessageSize)
    {
        turn.History.Clear();
        var kept = new List<Message>();
        long used = 0;
        var cut = false;
        for (var i = window.Count - 1; i >= 0; i--)
        {
            var message = window[i];
            var size = HistoryEntrySize(message);
            if (used + size <= historyMaxBytes)
            {
                kept.Add(message);
                used += size;
                continue;
            }

            if (size > historyMaxBytes && Cut(message, (int)(historyMaxBytes - used)) is { } shortened)
            {
                kept.Add(shortened);
                cut = true;
            }

            break;
        }

        kept.Reverse();
        turn.History.AddRange(kept);
        var omitted = window.Count - kept.Count;

        var limit = maxSendMessageSize - EnvelopeBytes;
        while (turn.History.Count > 0 && turn.CalculateSize() > limit)
        {
            turn.History.RemoveAt(0);
            omitted++;
        }

        if (turn.Message is { } own && turn.CalculateSize() > limit)
        {
            var room = limit - (turn.CalculateSize() - MessageFieldSize(own));
            turn.Message = Cut(own, room) ?? Cut(new Message { Id = own.Id, TenantId = own.TenantId, ConversationId = own.ConversationId, Role = own.Role, CreateTime = own.CreateTime }, room);
            turn.MessageTruncated = true;
        }

        turn.HistoryOmitted = omitted;
        turn.HistoryTruncated = cut || omitted > 0;
    }

    /// <summary>Encoded size of <paramref name="message"/> as one entry of <c>RuntimeTurn.history</c> (tag, length, message).</summary>
    public static int HistoryEntrySize(Message message) =>
        CodedOutputStream.ComputeTagSize(RuntimeTurn.HistoryFieldNumber) + CodedOutputStream.ComputeMessageSize(message);

    private static int MessageFieldSize(Message message) =>
        CodedOutputStream.ComputeTagSize(RuntimeTurn.MessageFieldNumber) + CodedOutputStream.ComputeMessageSize(message);

    /// <summary>
    /// A copy of <paramref name="message"/> cut to encode (as a field: tag, length, message) in at most
    /// <paramref name="maxEntryBytes"/>, its text ending with <see cref="TruncationMarker"/>; null when not even its
    /// ids and the marker fit.
    /// </summary>
    internal static Message? Cut(Message message, int maxEntryBytes)
    {
        var copy = message.Clone();
        foreach (var attachment in copy.Attachments) attachment.Data = ByteString.Empty;
        copy.Text = TruncationMarker;
        while (copy.Attachments.Count > 0 && HistoryEntrySize(copy) > maxEntryBytes) copy.Attachments.RemoveAt(copy.Attachments.Count - 1);
        var fixedSize = HistoryEntrySize(copy);
        if (fixedSize > maxEntryBytes) return null;

        // Length prefixes grow by at most a few bytes as the text grows; correct for it by measuring again.
        var room = maxEntryBytes - fixedSize;
        while (true)
        {
            copy.Text = Utf8Prefix(message.Text, room) + TruncationMarker;
            var excess = HistoryEntrySize(copy) - maxEntryBytes;
            if (excess <= 0) return copy;
            room -= excess;
        }
    }

    /// <summary>The longest prefix of <paramref name="text"/> whose UTF-8 encoding has at most <paramref name="maxBytes"/> bytes; never splits a surrogate pair.</summary>
    internal static string Utf8Prefix(string text, int maxBytes)
    {
        var bytes = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            int width, chars = 1;
            if (c < 0x80) width = 1;
            else if (c < 0x800) width = 2;
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) (width, chars) = (4, 2);
            else width = 3; // other BMP characters; a lone surrogate is encoded as U+FFFD, 3 bytes
            if (bytes + width > maxBytes) break;
            bytes += width;
            i += chars;
        }

        return text[..i];
    }
}
