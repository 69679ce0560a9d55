// report_screenshots DIR REPORT.html...: a PNG of each report as headless Chromium draws it at a
// 1,400 px window, the whole page, written to DIR/<the report's folder name>.png. `./dev
// screenshots DIR` runs it on five catalog reports, for a person to look at.
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "browser.hpp"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: report_screenshots DIR REPORT.html...\n";
    return 2;
  }
  const std::string chromium = faultline::testing::chromium_binary();
  if (chromium.empty()) {
    std::cerr << "report_screenshots: no chromium (/usr/bin/chromium or $FAULTLINE_CHROMIUM)\n";
    return 2;
  }
  try {
    faultline::testing::Browser browser(chromium, 1400, 900);
    for (int i = 2; i < argc; ++i) {
      const std::filesystem::path report = std::filesystem::absolute(argv[i]);
      browser.navigate("file://" + report.string());
      const std::filesystem::path png =
          std::filesystem::path(argv[1]) / (report.parent_path().filename().string() + ".png");
      const std::string bytes = browser.screenshot_png();
      std::ofstream(png.string() + ".tmp", std::ios::binary) << bytes;
      std::filesystem::rename(png.string() + ".tmp", png);
      std::cout << "  " << png.string() << " (" << bytes.size() / 1024 << " KiB)";
      for (const std::string& e : browser.errors()) std::cout << "\n    error: " << e;
      std::cout << "\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "report_screenshots: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
