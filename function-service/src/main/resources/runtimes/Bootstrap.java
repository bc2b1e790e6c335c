// Cumulus function runtime for Java: one warm JVM serving many invocations, run with the JDK's
// source launcher (java /var/runtime/Bootstrap.java). Protocol as in bootstrap.py: an init line
// (handler, environment, function facts) answered with {"ready":true} or an init error, then one
// line per invocation {"requestId","event","deadlineMs"} answered with the result or the error.
//
// The handler is "package.Class::method" (or "package.Class" for handleRequest), loaded from
// /var/task (classes) and /var/task/lib/*.jar. The method takes (event) or (event, context): the
// event as Map/List/String/Number/Boolean (or the raw JSON String for a String parameter), the
// context as a Map (functionName, functionVersion, invokedFunctionArn, memoryLimitInMB,
// awsRequestId, remainingTimeInMillis). Its result is written as JSON (maps, lists, strings,
// numbers, booleans, null; other objects as their toString()).
import java.io.*;
import java.lang.reflect.*;
import java.net.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;

public class Bootstrap {

  static final int MAX_LOG_CHARS = 64 * 1024;
  static final PrintStream PROTOCOL = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);

  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    Map<?, ?> init = (Map<?, ?>) Json.parse(in.readLine());
    Method handler;
    Object target;
    try {
      String spec = (String) init.get("handler");
      String className = spec.contains("::") ? spec.substring(0, spec.indexOf("::")) : spec;
      String methodName = spec.contains("::") ? spec.substring(spec.indexOf("::") + 2) : "handleRequest";
      List<URL> urls = new ArrayList<>(List.of(Path.of("/var/task").toUri().toURL()));
      Path lib = Path.of("/var/task/lib");
      if (Files.isDirectory(lib)) {
        try (var jars = Files.list(lib)) {
          for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
            urls.add(jar.toUri().toURL());
          }
        }
      }
      Class<?> type = new URLClassLoader(urls.toArray(URL[]::new), Bootstrap.class.getClassLoader()).loadClass(className);
      handler = Arrays.stream(type.getMethods())
          .filter(m -> m.getName().equals(methodName) && m.getParameterCount() >= 1 && m.getParameterCount() <= 2)
          .findFirst()
          .orElseThrow(() -> new NoSuchMethodException(className + "::" + methodName + " (public, 1 or 2 parameters)"));
      target = Modifier.isStatic(handler.getModifiers()) ? null : type.getDeclaredConstructor().newInstance();
    } catch (Throwable e) {
      PROTOCOL.println(Json.write(error("Runtime.ImportModuleError", "Unable to load handler '" + init.get("handler") + "': " + e, e)));
      return;
    }
    PROTOCOL.println("{\"ready\":true}");
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      Map<?, ?> request = (Map<?, ?>) Json.parse(line);
      Map<String, Object> response = invoke(handler, target, init, request);
      PROTOCOL.println(Json.write(response));
      if ("Runtime.OutOfMemory".equals(response.get("errorType"))) {
        return;
      }
    }
  }

  static Map<String, Object> invoke(Method handler, Object target, Map<?, ?> init, Map<?, ?> request) {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream log = new PrintStream(captured, true, StandardCharsets.UTF_8);
    System.setOut(log);
    System.setErr(log);
    Map<String, Object> response;
    try {
      Object event = request.get("event");
      Object[] arguments = new Object[handler.getParameterCount()];
      arguments[0] = handler.getParameterTypes()[0] == String.class && !(event instanceof String) ? Json.write(event) : event;
      if (arguments.length == 2) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("functionName", init.get("functionName"));
        context.put("functionVersion", init.get("functionVersion"));
        context.put("invokedFunctionArn", init.get("functionArn"));
        context.put("memoryLimitInMB", init.get("memoryMb"));
        context.put("awsRequestId", request.get("requestId"));
        long deadline = ((Number) request.get("deadlineMs")).longValue();
        context.put("remainingTimeInMillis", Math.max(0, deadline - System.currentTimeMillis()));
        arguments[1] = context;
      }
      Object result = handler.invoke(target, arguments);
      response = new LinkedHashMap<>();
      response.put("ok", true);
      response.put("result", result);
      Json.write(result);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      response = cause instanceof OutOfMemoryError
          ? error("Runtime.OutOfMemory", "The function ran out of memory", null)
          : error(cause.getClass().getName(), String.valueOf(cause.getMessage()), cause);
    } catch (OutOfMemoryError e) {
      response = error("Runtime.OutOfMemory", "The function ran out of memory", null);
    } catch (Throwable e) {
      response = error(e.getClass().getName(), String.valueOf(e.getMessage()), e);
    } finally {
      System.setOut(PROTOCOL);
      System.setErr(PROTOCOL);
    }
    String logs = captured.toString(StandardCharsets.UTF_8);
    response.put("requestId", request.get("requestId"));
    response.put("logs", logs.length() > MAX_LOG_CHARS ? logs.substring(logs.length() - MAX_LOG_CHARS) : logs);
    Runtime runtime = Runtime.getRuntime();
    response.put("maxMemoryUsedKb", (runtime.totalMemory() - runtime.freeMemory()) / 1024);
    return response;
  }

  static Map<String, Object> error(String type, String message, Throwable e) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("ok", false);
    error.put("errorType", type);
    error.put("errorMessage", message);
    List<String> stack = new ArrayList<>();
    if (e != null) {
      for (StackTraceElement element : e.getStackTrace()) {
        stack.add(element.toString());
      }
    }
    error.put("stackTrace", stack);
    return error;
  }

  /** Just enough JSON: parse to Map/List/String/Long/Double/Boolean/null, and write those back. */
  static final class Json {
    private final String text;
    private int at;

    private Json(String text) {
      this.text = text;
    }

    static Object parse(String text) {
      Json json = new Json(text);
      Object value = json.value();
      json.space();
      if (json.at != text.length()) {
        throw new IllegalArgumentException("trailing characters at " + json.at);
      }
      return value;
    }

    private void space() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) at++;
    }

    private Object value() {
      space();
      char c = text.charAt(at);
      switch (c) {
        case '{': {
          Map<String, Object> map = new LinkedHashMap<>();
          at++;
          space();
          if (text.charAt(at) == '}') { at++; return map; }
          while (true) {
            space();
            String key = string();
            space();
            expect(':');
            map.put(key, value());
            space();
            if (text.charAt(at) == ',') { at++; continue; }
            expect('}');
            return map;
          }
        }
        case '[': {
          List<Object> list = new ArrayList<>();
          at++;
          space();
          if (text.charAt(at) == ']') { at++; return list; }
          while (true) {
            list.add(value());
            space();
            if (text.charAt(at) == ',') { at++; continue; }
            expect(']');
            return list;
          }
        }
        case '"': return string();
        case 't': at += 4; return Boolean.TRUE;
        case 'f': at += 5; return Boolean.FALSE;
        case 'n': at += 4; return null;
        default: {
          int start = at;
          while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) at++;
          String number = text.substring(start, at);
          if (number.contains(".") || number.contains("e") || number.contains("E")) return Double.parseDouble(number);
          return Long.parseLong(number);
        }
      }
    }

    private void expect(char c) {
      if (text.charAt(at) != c) throw new IllegalArgumentException("expected " + c + " at " + at);
      at++;
    }

    private String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      while (true) {
        char c = text.charAt(at++);
        if (c == '"') return out.toString();
        if (c != '\\') { out.append(c); continue; }
        char e = text.charAt(at++);
        switch (e) {
          case 'n' -> out.append('\n');
          case 't' -> out.append('\t');
          case 'r' -> out.append('\r');
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'u' -> { out.append((char) Integer.parseInt(text.substring(at, at + 4), 16)); at += 4; }
          default -> out.append(e);
        }
      }
    }

    static String write(Object value) {
      StringBuilder out = new StringBuilder();
      write(value, out);
      return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
      if (value == null) {
        out.append("null");
      } else if (value instanceof Map<?, ?> map) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
          if (!first) out.append(',');
          first = false;
          quote(String.valueOf(e.getKey()), out);
          out.append(':');
          write(e.getValue(), out);
        }
        out.append('}');
      } else if (value instanceof Collection<?> list) {
        out.append('[');
        boolean first = true;
        for (Object item : list) {
          if (!first) out.append(',');
          first = false;
          write(item, out);
        }
        out.append(']');
      } else if (value instanceof Object[] array) {
        write(Arrays.asList(array), out);
      } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long
          || value instanceof Short || value instanceof Byte) {
        out.append(value);
      } else if (value instanceof Number number) {
        double d = number.doubleValue();
        out.append(Double.isFinite(d) ? number.toString() : "null");
      } else {
        quote(value.toString(), out);
      }
    }

    private static void quote(String s, StringBuilder out) {
      out.append('"');
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          default -> {
            if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
          }
        }
      }
      out.append('"');
    }
  }
}
