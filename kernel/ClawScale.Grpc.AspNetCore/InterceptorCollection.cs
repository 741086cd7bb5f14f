using System.Collections.ObjectModel;
using Grpc.Core.Interceptors;

namespace ClawScale.Grpc.AspNetCore;

/// <summary>The server interceptor types of <see cref="GrpcServerOptions.Interceptors"/>, outermost first.</summary>
public sealed class InterceptorCollection : Collection<Type>
{
    /// <summary>Adds an interceptor type.</summary>
    /// <typeparam name="TInterceptor">A subclass of <see cref="Interceptor"/>.</typeparam>
    public void Add<TInterceptor>()
        where TInterceptor : Interceptor => Add(typeof(TInterceptor));

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The type does not derive from <see cref="Interceptor"/> or is abstract.</exception>
    protected override void InsertItem(int index, Type item)
    {
        Validate(item);
        base.InsertItem(index, item);
    }

    /// <inheritdoc />
    protected override void SetItem(int index, Type item)
    {
        Validate(item);
        base.SetItem(index, item);
    }

    private static void Validate(Type item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!typeof(Interceptor).IsAssignableFrom(item) || item.IsAbstract)
        {
            throw new ArgumentException($"Type '{item}' is not a concrete subclass of {typeof(Interceptor).FullName}.", nameof(item));
        }
    }
}
