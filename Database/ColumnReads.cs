using Npgsql;
using NpgsqlTypes;

namespace Outreach.Database;

/// <summary>
/// Reading a row by column name (never by position, so a reordered select cannot shift values into the wrong
/// fields) and the nullable parameters the tables' statements share.
/// </summary>
internal static class ColumnReads
{
    /// <summary>The value of column <paramref name="name"/>, or null when it is NULL.</summary>
    public static T? OrNull<T>(this NpgsqlDataReader reader, string name) where T : struct => reader.OrNull<T>(reader.GetOrdinal(name));

    /// <summary>The value of the column at <paramref name="ordinal"/> (resolved by name once per reader), or null when it is NULL.</summary>
    public static T? OrNull<T>(this NpgsqlDataReader reader, int ordinal) where T : struct =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<T>(ordinal);

    /// <summary>The text of column <paramref name="name"/>, or null when it is NULL.</summary>
    public static string? StringOrNull(this NpgsqlDataReader reader, string name)
    {
        var ordinal = reader.GetOrdinal(name);
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }

    /// <summary>A <c>timestamptz</c> parameter, NULL when there is no value.</summary>
    public static NpgsqlParameter Time(DateTimeOffset? value) => OrDbNull(NpgsqlDbType.TimestampTz, value?.UtcDateTime);

    /// <summary>A parameter of <paramref name="type"/>, NULL when there is no value.</summary>
    public static NpgsqlParameter OrDbNull<T>(NpgsqlDbType type, T? value) where T : struct =>
        new() { NpgsqlDbType = type, Value = value.HasValue ? value.Value : DBNull.Value };

    /// <summary>A <c>text</c> parameter, NULL when there is no value.</summary>
    public static NpgsqlParameter Text(string? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    /// <summary>One statement of a batch with its parameters.</summary>
    public static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }
}
