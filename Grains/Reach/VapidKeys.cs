using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Outreach.Grains.Reach;

/// <summary>The application server's VAPID key pair (RFC 8292), base64url as browsers and push services take it.</summary>
public sealed record VapidKeyPair(string PublicKey, string PrivateKey)
{
    /// <summary>Never the private key (records print their properties).</summary>
    public override string ToString() => $"VapidKeyPair {{ PublicKey = {PublicKey} }}";

    /// <summary>A new P-256 key pair.</summary>
    public static VapidKeyPair Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = key.ExportParameters(includePrivateParameters: true);
        return new VapidKeyPair(Base64Url.EncodeToString([0x04, .. parameters.Q.X!, .. parameters.Q.Y!]), Base64Url.EncodeToString(parameters.D!));
    }

    /// <summary>Why the pair cannot sign (not P-256, the halves do not match), or null.</summary>
    public string? Refusal()
    {
        try
        {
            var point = Base64Url.DecodeFromChars(PublicKey);
            var scalar = Base64Url.DecodeFromChars(PrivateKey);
            if (point.Length != 65 || point[0] != 0x04 || scalar.Length != 32)
                return "The VAPID public key must be a 65-byte uncompressed P-256 point and the private key 32 bytes (base64url).";
            using var key = ECDsa.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                D = scalar,
                Q = new ECPoint { X = point[1..33], Y = point[33..] },
            });
            var derived = key.ExportParameters(includePrivateParameters: false).Q;
            return derived.X!.AsSpan().SequenceEqual(point.AsSpan(1, 32)) && derived.Y!.AsSpan().SequenceEqual(point.AsSpan(33))
                ? null
                : "The VAPID public key is not the private key's.";
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return "The VAPID keys are not a P-256 key pair in base64url.";
        }
    }
}

/// <summary>
/// The VAPID key pair every silo signs with: from configuration (<c>Push:VapidPublicKey</c> and <c>Push:VapidPrivateKey</c>),
/// else from <c>outreach_push_keys</c>, made by the first silo that starts (insert if absent, then read back: silos
/// starting together agree on the stored pair). Loaded at start and kept; a failed load is tried again on next use.
/// </summary>
public sealed class VapidKeys(NpgsqlDataSource database, IOptions<PushOptions> options, ILogger<VapidKeys> log) : IHostedService, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private VapidKeyPair? _keys;

    /// <summary>The key pair (loaded or made on first use).</summary>
    public async Task<VapidKeyPair> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_keys is { } known)
            return known;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _keys ??= await LoadAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var configured = Configured();
        if (configured?.Refusal() is { } refusal)
            throw new OptionsValidationException(PushOptions.Section, typeof(PushOptions), [refusal]);
        if (options.Value.Subject is { Length: > 0 } subject
            && !subject.StartsWith("mailto:", StringComparison.Ordinal) && !subject.StartsWith("https://", StringComparison.Ordinal))
            throw new OptionsValidationException(PushOptions.Section, typeof(PushOptions), ["Push:Subject must be a mailto: or https: URI."]);
        try
        {
            await GetAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            log.LogWarning("VAPID keys not loaded at start ({Reason}); trying again on first push", e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _gate.Dispose();

    private VapidKeyPair? Configured()
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.VapidPublicKey) && string.IsNullOrWhiteSpace(o.VapidPrivateKey))
            return null;
        if (string.IsNullOrWhiteSpace(o.VapidPublicKey) || string.IsNullOrWhiteSpace(o.VapidPrivateKey))
            throw new OptionsValidationException(PushOptions.Section, typeof(PushOptions),
                ["Push:VapidPublicKey and Push:VapidPrivateKey are set together or not at all."]);
        return new VapidKeyPair(o.VapidPublicKey.Trim(), o.VapidPrivateKey.Trim());
    }

    private async Task<VapidKeyPair> LoadAsync(CancellationToken cancellationToken)
    {
        if (Configured() is { } configured)
            return configured;
        var fresh = VapidKeyPair.Create();
        // Two statements: the read after the insert sees a pair another silo committed meanwhile.
        await using (var insert = database.CreateCommand(
            "INSERT INTO outreach_push_keys (id, public_key, private_key) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING"))
        {
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = fresh.PublicKey });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = fresh.PrivateKey });
            if (await insert.ExecuteNonQueryAsync(cancellationToken) > 0)
                log.LogInformation("Made the VAPID key pair (public key {PublicKey})", fresh.PublicKey);
        }
        await using var select = database.CreateCommand("SELECT public_key, private_key FROM outreach_push_keys WHERE id = 1");
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            throw new InvalidOperationException("outreach_push_keys has no row after inserting one.");
        var stored = new VapidKeyPair(reader.GetString(0), reader.GetString(1));
        return stored;
    }
}
