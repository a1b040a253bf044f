using Acms.Domain.Access;

namespace Acms.Tests.Access;

/// <summary>The whole policy, written out by hand: every caller kind × scope × action and its decision.</summary>
public sealed class AccessPolicyTests
{
    // R = read, W = write allowed; "-" = denied. Columns: Health, OwnData, OtherUserData, OrgData, Jobs.
    private static readonly Dictionary<CallerKind, string[]> Expected = new()
    {
        [CallerKind.Anonymous] = ["R", "-", "-", "-", "-"],
        [CallerKind.UnknownPrincipal] = ["R", "-", "-", "-", "-"],
        [CallerKind.User] = ["R", "RW", "-", "R", "-"],
        [CallerKind.Admin] = ["R", "RW", "RW", "RW", "RW"],
        [CallerKind.Automation] = ["R", "RW", "RW", "RW", "RW"],
    };

    public static TheoryData<CallerKind, AccessScope, AccessAction> Cells()
    {
        var data = new TheoryData<CallerKind, AccessScope, AccessAction>();
        foreach (var caller in Enum.GetValues<CallerKind>())
        {
            foreach (var scope in Enum.GetValues<AccessScope>())
            {
                foreach (var action in Enum.GetValues<AccessAction>())
                {
                    data.Add(caller, scope, action);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void Each_cell_of_the_matrix_has_its_decision(CallerKind caller, AccessScope scope, AccessAction action)
    {
        var cell = Expected[caller][(int)scope];

        Assert.Equal(cell.Contains(action == AccessAction.Read ? 'R' : 'W'), AccessPolicy.Allows(caller, scope, action));
    }

    [Fact]
    public void The_matrix_covers_every_kind_and_scope()
    {
        Assert.Equal(Enum.GetValues<CallerKind>().Order(), Expected.Keys.Order());
        Assert.All(Expected.Values, row => Assert.Equal(Enum.GetValues<AccessScope>().Length, row.Length));
    }

    [Fact]
    public void A_person_s_scope_follows_the_user_id_asked_for()
    {
        var me = Guid.NewGuid();
        var caller = new Caller(CallerKind.User, me, "me");

        Assert.Equal(AccessScope.OwnData, caller.ScopeOf(me));
        Assert.Equal(AccessScope.OtherUserData, caller.ScopeOf(Guid.NewGuid()));
        Assert.Equal(AccessScope.OrgData, caller.ScopeOf(null));
        Assert.Equal(AccessScope.OtherUserData, new Caller(CallerKind.UnknownPrincipal, null, "x").ScopeOf(me));
        Assert.False(caller.SeesEveryUser);
        Assert.True(Caller.Automation.SeesEveryUser);
    }
}
