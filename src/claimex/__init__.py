"""claimex."""
