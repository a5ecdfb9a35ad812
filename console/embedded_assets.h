// The console's pages, script, style sheet and chart library, compiled into the binary (cmake/embed_assets.cmake),
// so that it serves them with nothing fetched or read at run time.
#pragma once

#include <string_view>

namespace sagaflow::console {

struct EmbeddedAsset {
  std::string_view path;          // the URL path it is served on: "/", "/console.js"
  std::string_view content_type;  // from the file's extension
  std::string_view body;
};

// nullptr if no asset is served on `path`.
const EmbeddedAsset* FindAsset(std::string_view path);

}  // namespace sagaflow::console
