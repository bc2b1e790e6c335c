package dev.cumulus.auth.user.web;

import dev.cumulus.auth.user.domain.User;
import java.util.LinkedHashMap;
import java.util.Map;

/** How users appear in each seed's JSON (key order as in the seeds). */
public final class UserViews {

  private UserViews() {}

  /** Seed 002 login: {@code {id, email, name, role, permissions}}. */
  public static Map<String, Object> loginUser(User user) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", user.id());
    view.put("email", user.email());
    view.put("name", user.displayName());
    view.put("role", user.role().id());
    view.put("permissions", user.permissions());
    return view;
  }

  /** Seed 002 user list item. */
  public static Map<String, Object> listItem(User user) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", user.id());
    view.put("email", user.email());
    view.put("name", user.displayName());
    view.put("role", user.role().id());
    view.put("active", user.active());
    view.put("last_login", user.lastLogin());
    view.put("created_at", user.createdAt());
    view.put("permissions", user.permissions());
    return view;
  }

  /** Seed 002 profile: the list item plus username, tenant and preferences. */
  public static Map<String, Object> profile(User user) {
    Map<String, Object> view = listItem(user);
    view.put("username", user.username());
    view.put("tenant_id", user.tenantId());
    view.put("preferences", user.preferences());
    return view;
  }

  /** Seed 003 user: {@code {id, username, email, first_name, last_name, role, is_active}}. */
  public static Map<String, Object> tenantUser(User user) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", user.id());
    view.put("username", user.username());
    view.put("email", user.email());
    view.put("first_name", user.firstName());
    view.put("last_name", user.lastName());
    view.put("role", user.role().id());
    view.put("is_active", user.active());
    view.put("last_login", user.lastLogin());
    view.put("date_joined", user.createdAt());
    return view;
  }

  /** Seed 003 login: {@code {id, username, email, role}}. */
  public static Map<String, Object> tenantLoginUser(User user) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", user.id());
    view.put("username", user.username());
    view.put("email", user.email());
    view.put("role", user.role().id());
    return view;
  }
}
