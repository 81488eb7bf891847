using System.Globalization;
using System.Security.Cryptography;
using Npgsql;
using NpgsqlTypes;

namespace Outreach.Grains.Sms;

/// <summary>
/// The volunteers' reply codes (<c>outreach_sms_codes</c>, migration 0013): a 6-digit code per SMS offer, kept with the
/// keyed hash of the volunteer's number (<see cref="Outreach.Files.PhoneIndexKeys"/>; never the number), the request,
/// the volunteer and when it expires. A code is unique among the open codes of one number, so a reply is found by the
/// sender's number and the code together: a code sent from another phone matches nothing. Taking a code marks it used
/// in the same statement, so it claims at most once.
/// </summary>
public sealed class ReplyCodes(NpgsqlDataSource database)
{
    public const int Length = 6;

    private const int Attempts = 8;

    /// <summary>Stores a new open code for the number and returns it.</summary>
    public async Task<string> CreateAsync(string phoneKey, Guid requestId, Guid volunteerId, DateTimeOffset now, DateTimeOffset expiresAt,
        CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
            // An open code of this number with the same digits is replaced only once it has expired.
            await using var command = database.CreateCommand("""
                INSERT INTO outreach_sms_codes (phone_key, code, request_id, volunteer_id, created_at, expires_at)
                VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (phone_key, code) WHERE used_at IS NULL DO UPDATE
                    SET request_id = EXCLUDED.request_id, volunteer_id = EXCLUDED.volunteer_id,
                        created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
                    WHERE outreach_sms_codes.expires_at <= EXCLUDED.created_at
                RETURNING id
                """);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = phoneKey });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = code });
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = requestId });
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = volunteerId });
            command.Parameters.Add(Time(now));
            command.Parameters.Add(Time(expiresAt));
            if (await command.ExecuteScalarAsync(cancellationToken) is not null)
                return code;
        }
        throw new InvalidOperationException("No free reply code found for this number.");
    }

    /// <summary>
    /// Marks the number's open, unexpired code used (by the provider's message <paramref name="messageId"/>, when known)
    /// and returns what it was for; null when there is none. A code the same message already used is taken again: the
    /// message is being handled anew after a fault (its release may have failed), and its claim is decided once anyway.
    /// </summary>
    public async Task<TakenCode?> TakeAsync(string phoneKey, string code, DateTimeOffset now, CancellationToken cancellationToken,
        string? messageId = null)
    {
        await using var command = database.CreateCommand("""
            WITH mine AS (
                SELECT id, request_id, volunteer_id FROM outreach_sms_codes
                WHERE $4::text IS NOT NULL AND used_by = $4 AND phone_key = $1 AND code = $2
                LIMIT 1),
            taken AS (
                UPDATE outreach_sms_codes SET used_at = $3, used_by = $4
                WHERE phone_key = $1 AND code = $2 AND used_at IS NULL AND expires_at > $3 AND NOT EXISTS (SELECT 1 FROM mine)
                RETURNING id, request_id, volunteer_id)
            SELECT id, request_id, volunteer_id FROM mine
            UNION ALL
            SELECT id, request_id, volunteer_id FROM taken
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = phoneKey });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = code });
        command.Parameters.Add(Time(now));
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)messageId ?? DBNull.Value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new TakenCode(reader.GetInt64(0), reader.GetGuid(1), reader.GetGuid(2))
            : null;
    }

    /// <summary>Opens a taken code again (its claim could not be tried: the cluster or the store failed).</summary>
    public async Task ReleaseAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("UPDATE outreach_sms_codes SET used_at = NULL, used_by = NULL WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Takes up the provider's message <paramref name="providerId"/>: <see cref="DeliveryTurn.New"/> when this call is to
    /// handle it (never seen, or seen and not finished with its lease of <paramref name="lease"/> lapsed: the handler
    /// failed or died); <see cref="DeliveryTurn.Handled"/> when it was handled before (a redelivery: nothing to do);
    /// <see cref="DeliveryTurn.Underway"/> when another handler took it up within the lease (the provider tries again
    /// later). Entries older than <see cref="DeliveriesKept"/> go as new ones come.
    /// </summary>
    public async Task<DeliveryTurn> BeginDeliveryAsync(string providerId, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var batch = database.CreateBatch();
        var prune = new NpgsqlBatchCommand("DELETE FROM outreach_sms_inbound WHERE received_at < $1");
        prune.Parameters.Add(Time(now - DeliveriesKept));
        var record = new NpgsqlBatchCommand("""
            INSERT INTO outreach_sms_inbound (provider_id, received_at) VALUES ($1, $2)
            ON CONFLICT (provider_id) DO UPDATE SET received_at = EXCLUDED.received_at
                WHERE outreach_sms_inbound.handled_at IS NULL AND outreach_sms_inbound.received_at <= $3
            """);
        record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = providerId });
        record.Parameters.Add(Time(now));
        record.Parameters.Add(Time(now - lease));
        batch.BatchCommands.Add(prune);
        batch.BatchCommands.Add(record);
        await batch.ExecuteNonQueryAsync(cancellationToken);
        if (record.RecordsAffected == 1)
            return DeliveryTurn.New;
        await using var state = database.CreateCommand("SELECT handled_at IS NOT NULL FROM outreach_sms_inbound WHERE provider_id = $1");
        state.Parameters.Add(new NpgsqlParameter<string> { TypedValue = providerId });
        return await state.ExecuteScalarAsync(cancellationToken) switch
        {
            true => DeliveryTurn.Handled,
            false => DeliveryTurn.Underway,
            _ => await BeginDeliveryAsync(providerId, now, lease, cancellationToken), // let go meanwhile: take it up
        };
    }

    /// <summary>The message's handling finished: a redelivery of it is a duplicate from now on.</summary>
    public async Task FinishDeliveryAsync(string providerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("UPDATE outreach_sms_inbound SET handled_at = $2 WHERE provider_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = providerId });
        command.Parameters.Add(Time(now));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Lets go of a message whose handling failed, so the provider's redelivery is handled at once. Best effort: if this
    /// fails too (the database is away), the message's lease lapses instead.
    /// </summary>
    public async Task LetGoDeliveryAsync(string providerId, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("DELETE FROM outreach_sms_inbound WHERE provider_id = $1 AND handled_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = providerId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>How long a message's id is remembered: far longer than a provider retries a callback.</summary>
    public static readonly TimeSpan DeliveriesKept = TimeSpan.FromDays(3);

    private static NpgsqlParameter<DateTime> Time(DateTimeOffset at) =>
        new() { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = at.UtcDateTime };
}

/// <summary>What a delivery of an SMS reply is to its handler (<see cref="ReplyCodes.BeginDeliveryAsync"/>).</summary>
public enum DeliveryTurn
{
    /// <summary>To be handled by this call.</summary>
    New,

    /// <summary>Handled before: a redelivery, nothing to do.</summary>
    Handled,

    /// <summary>Being handled by another call within its lease: the provider tries again later.</summary>
    Underway,
}

/// <summary>A code taken: its row, the request it claims and the volunteer it was sent to.</summary>
public sealed record TakenCode(long Id, Guid RequestId, Guid VolunteerId);
