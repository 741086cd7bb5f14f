using System.Collections;
using System.Text;

namespace Grpc.Core;

/// <summary>
/// Call headers or trailers: an ordered list of key/value entries. Keys are ASCII, case-insensitive and
/// stored lower-case; keys ending in <c>-bin</c> carry binary values (base64 on the wire, per the gRPC over
/// HTTP/2 protocol spec), other keys carry ASCII strings.
/// </summary>
public sealed class Metadata : IList<Metadata.Entry>
{
    /// <summary>The suffix marking binary-valued keys.</summary>
    public const string BinaryHeaderSuffix = "-bin";

    /// <summary>An empty, read-only instance.</summary>
    public static readonly Metadata Empty = new Metadata().Freeze();

    private readonly List<Entry> _entries = [];
    private bool _readOnly;

    /// <summary>Makes this instance read-only and returns it.</summary>
    internal Metadata Freeze()
    {
        _readOnly = true;
        return this;
    }

    /// <summary>The last entry with <paramref name="key"/> (case-insensitive), or <c>null</c>.</summary>
    public Entry? Get(string key)
    {
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (_entries[i].KeyEquals(key))
            {
                return _entries[i];
            }
        }

        return null;
    }

    /// <summary>The string value of the last entry with <paramref name="key"/>, or <c>null</c>.</summary>
    /// <exception cref="InvalidOperationException">The key is a binary (<c>-bin</c>) key.</exception>
    public string? GetValue(string key) => Get(key)?.Value;

    /// <summary>The binary value of the last entry with <paramref name="key"/>, or <c>null</c>.</summary>
    public byte[]? GetValueBytes(string key) => Get(key)?.ValueBytes;

    /// <summary>All entries with <paramref name="key"/>, in order.</summary>
    public IEnumerable<Entry> GetAll(string key) => _entries.Where(e => e.KeyEquals(key)).ToList();

    /// <summary>Adds a string entry.</summary>
    /// <exception cref="ArgumentException">The key is invalid or ends in <c>-bin</c>.</exception>
    public void Add(string key, string value) => Add(new Entry(key, value));

    /// <summary>Adds a binary entry; the key must end in <c>-bin</c>.</summary>
    public void Add(string key, byte[] valueBytes) => Add(new Entry(key, valueBytes));

    /// <inheritdoc />
    public void Add(Entry item)
    {
        ArgumentNullException.ThrowIfNull(item);
        CheckWritable();
        _entries.Add(item);
    }

    /// <inheritdoc />
    public int IndexOf(Entry item) => _entries.IndexOf(item);

    /// <inheritdoc />
    public void Insert(int index, Entry item)
    {
        ArgumentNullException.ThrowIfNull(item);
        CheckWritable();
        _entries.Insert(index, item);
    }

    /// <inheritdoc />
    public void RemoveAt(int index)
    {
        CheckWritable();
        _entries.RemoveAt(index);
    }

    /// <inheritdoc />
    public Entry this[int index]
    {
        get => _entries[index];
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            CheckWritable();
            _entries[index] = value;
        }
    }

    /// <inheritdoc />
    public void Clear()
    {
        CheckWritable();
        _entries.Clear();
    }

    /// <inheritdoc />
    public bool Contains(Entry item) => _entries.Contains(item);

    /// <inheritdoc />
    public void CopyTo(Entry[] array, int arrayIndex) => _entries.CopyTo(array, arrayIndex);

    /// <inheritdoc />
    public bool Remove(Entry item)
    {
        CheckWritable();
        return _entries.Remove(item);
    }

    /// <inheritdoc />
    public int Count => _entries.Count;

    /// <inheritdoc />
    public bool IsReadOnly => _readOnly;

    /// <inheritdoc />
    public IEnumerator<Entry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _entries.GetEnumerator();

    private void CheckWritable()
    {
        if (_readOnly)
        {
            throw new InvalidOperationException("Metadata is read-only.");
        }
    }

    /// <summary>One metadata entry: a lower-case key and a string or binary value.</summary>
    public sealed class Entry
    {
        private readonly string? _value;
        private readonly byte[]? _valueBytes;

        /// <summary>Creates a string entry.</summary>
        /// <exception cref="ArgumentException">The key is invalid or ends in <c>-bin</c>.</exception>
        public Entry(string key, string value)
        {
            Key = NormalizeKey(key);
            if (IsBinaryKey(Key))
            {
                throw new ArgumentException($"Key '{Key}' ends in '-bin' and needs a binary value.", nameof(key));
            }

            _value = value ?? throw new ArgumentNullException(nameof(value));
        }

        /// <summary>Creates a binary entry; the key must end in <c>-bin</c>.</summary>
        /// <exception cref="ArgumentException">The key is invalid or does not end in <c>-bin</c>.</exception>
        public Entry(string key, byte[] valueBytes)
        {
            Key = NormalizeKey(key);
            if (!IsBinaryKey(Key))
            {
                throw new ArgumentException($"Key '{Key}' must end in '-bin' to carry a binary value.", nameof(key));
            }

            _valueBytes = valueBytes ?? throw new ArgumentNullException(nameof(valueBytes));
        }

        /// <summary>The key, lower-case.</summary>
        public string Key { get; }

        /// <summary>Whether the value is binary (the key ends in <c>-bin</c>).</summary>
        public bool IsBinary => _valueBytes is not null;

        /// <summary>The string value.</summary>
        /// <exception cref="InvalidOperationException">The entry is binary.</exception>
        public string Value => _value ?? throw new InvalidOperationException($"Entry '{Key}' is binary; use ValueBytes.");

        /// <summary>The binary value (a copy), or the UTF-8 bytes of a string value.</summary>
        public byte[] ValueBytes => _valueBytes is not null ? (byte[])_valueBytes.Clone() : Encoding.UTF8.GetBytes(_value!);

        internal bool KeyEquals(string key) => string.Equals(Key, key, StringComparison.OrdinalIgnoreCase);

        /// <inheritdoc />
        public override string ToString() =>
            IsBinary ? $"[Entry: key={Key}, valueBytes={Convert.ToBase64String(_valueBytes!)}]" : $"[Entry: key={Key}, value={_value}]";

        private static bool IsBinaryKey(string key) => key.EndsWith(BinaryHeaderSuffix, StringComparison.Ordinal);

        private static string NormalizeKey(string key)
        {
            ArgumentException.ThrowIfNullOrEmpty(key);
            var lower = key.ToLowerInvariant();
            foreach (var c in lower)
            {
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
                {
                    throw new ArgumentException($"Metadata key '{key}' contains '{c}'; only a-z, 0-9, '-', '_' and '.' are allowed.", nameof(key));
                }
            }

            return lower;
        }
    }
}
