namespace ClawScale.Plugins.WeCom.Model;

/// <summary>
/// A decrypted WeCom callback message (WeCom "接收消息与事件" → "消息格式" → 文本消息), from XML such as
/// <code>
/// &lt;xml&gt;&lt;ToUserName&gt;&lt;![CDATA[toUser]]&gt;&lt;/ToUserName&gt;&lt;FromUserName&gt;&lt;![CDATA[fromUser]]&gt;&lt;/FromUserName&gt;
/// &lt;CreateTime&gt;1348831860&lt;/CreateTime&gt;&lt;MsgType&gt;&lt;![CDATA[text]]&gt;&lt;/MsgType&gt;&lt;Content&gt;&lt;![CDATA[this is a test]]&gt;&lt;/Content&gt;
/// &lt;MsgId&gt;1234567890123456&lt;/MsgId&gt;&lt;AgentID&gt;1&lt;/AgentID&gt;&lt;/xml&gt;
/// </code>
/// </summary>
/// <param name="ToUserName">The corp id.</param>
/// <param name="FromUserName">The member's UserID (the sender, and where replies go).</param>
/// <param name="CreateTime">Unix seconds.</param>
/// <param name="MsgType"><c>text</c>, <c>image</c>, <c>voice</c>, <c>video</c>, <c>location</c>, <c>link</c>, or <c>event</c>.</param>
/// <param name="Content">The text of a text message.</param>
/// <param name="MsgId">The message id (64-bit), the deduplication key; absent on events.</param>
/// <param name="AgentId">The receiving app's AgentId.</param>
internal sealed record WeComTextMessage(string? ToUserName, string? FromUserName, long? CreateTime, string? MsgType, string? Content, string? MsgId, string? AgentId);
