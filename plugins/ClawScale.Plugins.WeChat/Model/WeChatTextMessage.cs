namespace ClawScale.Plugins.WeChat.Model;

/// <summary>
/// A (decrypted) Official Account message push (WeChat "接收普通消息" → 文本消息,
/// developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_standard_messages.html):
/// <code>
/// &lt;xml&gt;&lt;ToUserName&gt;&lt;![CDATA[toUser]]&gt;&lt;/ToUserName&gt;&lt;FromUserName&gt;&lt;![CDATA[fromUser]]&gt;&lt;/FromUserName&gt;
/// &lt;CreateTime&gt;1348831860&lt;/CreateTime&gt;&lt;MsgType&gt;&lt;![CDATA[text]]&gt;&lt;/MsgType&gt;&lt;Content&gt;&lt;![CDATA[this is a test]]&gt;&lt;/Content&gt;
/// &lt;MsgId&gt;1234567890123456&lt;/MsgId&gt;&lt;/xml&gt;
/// </code>
/// </summary>
/// <param name="ToUserName">The account's original id (<c>gh_…</c>).</param>
/// <param name="FromUserName">The follower's OpenID (the sender, and where replies go).</param>
/// <param name="CreateTime">Unix seconds.</param>
/// <param name="MsgType"><c>text</c>, <c>image</c>, <c>voice</c>, <c>video</c>, <c>shortvideo</c>, <c>location</c>, <c>link</c>, or <c>event</c>.</param>
/// <param name="Content">The text of a text message.</param>
/// <param name="MsgId">The 64-bit message id, the deduplication key; absent on events.</param>
internal sealed record WeChatTextMessage(string? ToUserName, string? FromUserName, long? CreateTime, string? MsgType, string? Content, string? MsgId);
