using System.ComponentModel.DataAnnotations;

namespace Outreach.Contracts;

/// <summary>
/// Requires a valid phone number (mainland China by default, or international with +). Null or blank passes:
/// an optional number left empty is absent (combine with [Required] where a number must be given).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class PhoneNumberAttribute : ValidationAttribute
{
    public PhoneNumberAttribute()
        : base("The {0} field is not a valid phone number.")
    {
    }

    public override bool IsValid(object? value) => value switch
    {
        null => true,
        string text when string.IsNullOrWhiteSpace(text) => true,
        string text => Phones.Normalize(text) is not null,
        _ => false,
    };
}
