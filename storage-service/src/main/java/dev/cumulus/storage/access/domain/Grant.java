package dev.cumulus.storage.access.domain;

public record Grant(Grantee grantee, Permission permission) {}
