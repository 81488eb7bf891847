using Microsoft.Extensions.Validation;

namespace Outreach.Web.Infrastructure;

/// <summary>
/// Makes the validation generator describe the contract records that bodies carry only as array elements
/// (<c>KitDto[]</c>, <c>FamilyMemberDto[]</c>, <c>FamilyAddressDto[]</c>), so that each element's attributes are checked
/// as before: the generator follows a property's type but not an array's element type, and it sees
/// <c>[ValidatableType]</c> only on types of this assembly. Never made; the generator reads its properties.
/// </summary>
[ValidatableType]
public sealed record ContractElementTypes(KitDto Kit, FamilyMemberDto FamilyMember, FamilyAddressDto FamilyAddress);
