namespace MissingDepHelper;

public sealed class Helper
{
    public string Kind => "test-missing-dep";
}
