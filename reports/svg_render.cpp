#include "reports/svg_render.hpp"

#include <dlfcn.h>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <cstring>
#include <mutex>
#include <type_traits>

#include "reports/svg_text_fit.hpp"

// Where Debian (and Graphviz's default install) keep the plugin libraries; meson passes the
// configured one from `pkg-config --variable=libdir libgvc`.
#ifndef FAULTLINE_GRAPHVIZ_PLUGIN_DIR
#define FAULTLINE_GRAPHVIZ_PLUGIN_DIR "/usr/lib/x86_64-linux-gnu/graphviz"
#endif

namespace faultline::reports {

namespace {

// libgvc and cgraph keep global state (the error handler, the graph parser): one render at a time.
std::mutex render_mutex;
std::string graphviz_errors;  // guarded by render_mutex

int collect_error(char* text) {
  graphviz_errors += text;
  return 0;
}

std::string trimmed(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

// The context holds exactly three plugins, loaded from the plugin directory by name: the "dot"
// layout, the neato layouts (among them "nop2", which keeps positions given in the DOT: the
// space-time diagram places its nodes itself) and the core renderers (svg). Creating it this way,
// rather than with gvContext(), means:
//  - no dependence on the plugin registry `config6a`, which exists only if `dot -c` ran after the
//    plugins were installed (a fresh container can lack it: then gvContext() knows no layouts);
//  - no pango/gd text-layout plugin, whose font metrics depend on the fonts installed: with the
//    built-in metrics, the same DOT lays out to the same SVG on every machine, and the diagram's
//    own estimate of label sizes (text_width.hpp) matches Graphviz's.
// If the libraries cannot be opened, fall back to gvContext() and its configured plugins.
GVC_t* make_context() {
  struct Plugin {
    const char* file;
    const char* symbol;
  };
  static constexpr Plugin kPlugins[3] = {
      {"libgvplugin_dot_layout.so.6", "gvplugin_dot_layout_LTX_library"},
      {"libgvplugin_neato_layout.so.6", "gvplugin_neato_layout_LTX_library"},
      {"libgvplugin_core.so.6", "gvplugin_core_LTX_library"},
  };
  static lt_symlist_t builtins[4] = {};
  static bool loaded = [] {
    const std::string dir = FAULTLINE_GRAPHVIZ_PLUGIN_DIR;
    for (size_t i = 0; i < 3; ++i) {
      void* library = dlopen((dir + "/" + kPlugins[i].file).c_str(), RTLD_NOW | RTLD_LOCAL);
      void* entry = library ? dlsym(library, kPlugins[i].symbol) : nullptr;
      if (!entry) return false;
      builtins[i] = {kPlugins[i].symbol, entry};
    }
    builtins[3] = {nullptr, nullptr};
    return true;
  }();
  return loaded ? gvContextPlugins(builtins, 0) : gvContext();
}

// gvRenderData's length is `unsigned int*` up to Graphviz 2.4x and `size_t*` since 3.0: take
// whatever the installed header declares.
template <class Length>
struct RenderLength;
template <class Length>
struct RenderLength<int (*)(GVC_t*, graph_t*, const char*, char**, Length*)> {
  using type = Length;
};
using RenderLengthType = RenderLength<decltype(&gvRenderData)>::type;

// Owns a context and a graph, and releases them in the order libgvc requires.
class Session {
 public:
  Session() : gvc_(make_context()) {}
  ~Session() {
    if (graph_) {
      if (laid_out_) gvFreeLayout(gvc_, graph_);
      agclose(graph_);
    }
    if (gvc_) gvFreeContext(gvc_);
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  std::string render(const std::string& dot) {
    if (!gvc_) throw RenderError("Graphviz: could not create a rendering context");
    graph_ = agmemread(dot.c_str());
    if (!graph_) fail("could not parse the DOT text");
    // The graph names its engine ("nop2": positions given) or is laid out by "dot".
    const char* named = agget(graph_, const_cast<char*>("layout"));
    const std::string engine = named && *named ? named : "dot";
    if (gvLayout(gvc_, graph_, engine.c_str()) != 0) {
      fail("layout \"" + engine +
           "\" failed (are Graphviz's plugins installed? `dot -c` registers them)");
    }
    laid_out_ = true;
    char* data = nullptr;
    RenderLengthType length = 0;
    if (gvRenderData(gvc_, graph_, "svg", &data, &length) != 0 || data == nullptr) {
      if (data) gvFreeRenderData(data);
      fail("the svg renderer failed");
    }
    std::string svg(data, static_cast<size_t>(length));
    gvFreeRenderData(data);
    return svg;
  }

 private:
  [[noreturn]] void fail(const std::string& what) {
    std::string message = "Graphviz: " + what;
    if (!graphviz_errors.empty()) message += ": " + trimmed(graphviz_errors);
    throw RenderError(message);
  }

  GVC_t* gvc_;
  graph_t* graph_ = nullptr;
  bool laid_out_ = false;
};

}  // namespace

std::string render_svg(const std::string& dot) {
  std::lock_guard<std::mutex> lock(render_mutex);
  graphviz_errors.clear();
  // Collect errors for the exception instead of printing them; warnings stay quiet.
  const agusererrf previous_handler = agseterrf(collect_error);
  const agerrlevel_t previous_level = agseterr(AGERR);
  struct Restore {
    agusererrf handler;
    agerrlevel_t level;
    ~Restore() {
      agseterrf(handler);
      agseterr(level);
    }
  } restore{previous_handler, previous_level};
  Session session;
  return fit_svg_text(session.render(dot));
}

}  // namespace faultline::reports
