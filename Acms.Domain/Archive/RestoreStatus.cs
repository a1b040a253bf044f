namespace Acms.Domain.Archive;

public enum RestoreStatus
{
    /// <summary>The memory and its archived outcomes are back.</summary>
    Restored,

    /// <summary>No archived copy of that memory waits to be restored.</summary>
    NotArchived,

    /// <summary>A memory with that id exists already (restored before, or never really gone).</summary>
    AlreadyPresent,

    /// <summary>The user has another memory with the same content (<c>uq_user_content_hash</c>); nothing was changed.</summary>
    ContentConflict,

    /// <summary>The memory's user no longer exists.</summary>
    UserMissing,
}
