namespace VersionedDep;

public static class Marker
{
    public static string AssemblyVersion => typeof(Marker).Assembly.GetName().Version!.ToString();
}
