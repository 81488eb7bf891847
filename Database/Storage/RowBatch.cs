using Npgsql;

namespace Outreach.Database;

/// <summary>
/// Writes the changed rows of one owner (a cell, a directory shard) in one round trip: an upsert per entry, then
/// one delete of the removed ids. The statements of an Npgsql batch run in one implicit transaction, so a batch is
/// stored whole or not at all.
/// </summary>
public static class RowBatch
{
    /// <summary>Upserts <paramref name="upserts"/> and deletes <paramref name="removals"/> of <paramref name="owner"/>, all or nothing.</summary>
    /// <remarks>
    /// <c>upsertSql</c> takes the owner as <c>$1</c>, then the parameters <c>bind</c> adds for an entry;
    /// <c>deleteSql</c> takes the owner as <c>$1</c> and the removed ids as <c>$2</c> (<c>uuid[]</c>).
    /// </remarks>
    public static async Task SaveAsync<TEntry>(NpgsqlDataSource database, string owner,
        string upsertSql, IReadOnlyCollection<TEntry> upserts, Action<NpgsqlParameterCollection, TEntry> bind,
        string deleteSql, IReadOnlyCollection<Guid> removals, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upserts);
        ArgumentNullException.ThrowIfNull(removals);
        if (upserts.Count == 0 && removals.Count == 0)
            return;

        await using var batch = database.CreateBatch();
        foreach (var entry in upserts)
        {
            var command = new NpgsqlBatchCommand(upsertSql);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = owner });
            bind(command.Parameters, entry);
            batch.BatchCommands.Add(command);
        }
        if (removals.Count > 0)
        {
            var delete = new NpgsqlBatchCommand(deleteSql);
            delete.Parameters.Add(new NpgsqlParameter<string> { TypedValue = owner });
            delete.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. removals] });
            batch.BatchCommands.Add(delete);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Whether a failed write is the fault of what was written — a value the database refuses (SQL state class 22, data
    /// exception), a constraint (23), a value too large (54), an entry that cannot be serialized or encoded (not a
    /// database error at all) — rather than of the way there: a lost connection, a timeout, a busy server, and a
    /// statement cancelled (57014: a statement timeout, an operator's cancel, a lock wait given up), which the same rows
    /// pass once retried. Only the first is worth splitting a batch to find the row at fault.
    /// </summary>
    public static bool IsRowError(Exception error) => error switch
    {
        OperationCanceledException or TimeoutException => false,
        PostgresException postgres => postgres.SqlState.StartsWith("22", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("23", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("54", StringComparison.Ordinal),
        NpgsqlException => false,
        _ => true,
    };

    /// <summary>The SQL state of a database error (e.g. <c>22P05</c> for a NUL in jsonb), or null.</summary>
    public static string? SqlStateOf(Exception error) => (error as PostgresException)?.SqlState;
}
