using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Serialization;

namespace Outreach.ServiceDefaults;

/// <summary>Serialization settings that the silo and every client of it must share.</summary>
public static class DatabaseExceptions
{
    /// <summary>
    /// Lets Npgsql's exceptions cross a grain call as themselves (message, SQL state), instead of Orleans failing
    /// with "could not find a codec for Npgsql.PostgresException" and hiding what the database said.
    /// </summary>
    public static IServiceCollection AddDatabaseExceptionSerialization(this IServiceCollection services) =>
        services.Configure<ExceptionSerializationOptions>(o => o.SupportedNamespacePrefixes.Add("Npgsql"));
}

/// <summary>A <see cref="Npgsql.PostgresException"/> as it crosses a grain call: what the server said, field by field.</summary>
[GenerateSerializer, Immutable, Alias("Outreach.PostgresErrorSurrogate")]
public readonly record struct PostgresErrorSurrogate(
    [property: Id(0)] string MessageText,
    [property: Id(1)] string Severity,
    [property: Id(2)] string InvariantSeverity,
    [property: Id(3)] string SqlState,
    [property: Id(4)] string? Detail,
    [property: Id(5)] string? Hint,
    [property: Id(6)] int Position,
    [property: Id(7)] string? Where,
    [property: Id(8)] string? SchemaName,
    [property: Id(9)] string? TableName,
    [property: Id(10)] string? ColumnName,
    [property: Id(11)] string? ConstraintName);

/// <summary>Rebuilds the exception on the other side with the same SQL state, message and details.</summary>
[RegisterConverter]
public sealed class PostgresErrorConverter : IConverter<Npgsql.PostgresException, PostgresErrorSurrogate>
{
    public Npgsql.PostgresException ConvertFromSurrogate(in PostgresErrorSurrogate surrogate) => new(
        surrogate.MessageText, surrogate.Severity, surrogate.InvariantSeverity, surrogate.SqlState,
        surrogate.Detail, surrogate.Hint, surrogate.Position, internalPosition: 0, internalQuery: null, surrogate.Where,
        surrogate.SchemaName, surrogate.TableName, surrogate.ColumnName, dataTypeName: null, surrogate.ConstraintName,
        file: null, line: null, routine: null);

    public PostgresErrorSurrogate ConvertToSurrogate(in Npgsql.PostgresException value) => new(
        value.MessageText, value.Severity, value.InvariantSeverity, value.SqlState, value.Detail, value.Hint,
        value.Position, value.Where, value.SchemaName, value.TableName, value.ColumnName, value.ConstraintName);
}
