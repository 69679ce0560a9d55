// report_screenshots DIR PAGE.html...: a PNG of each page as headless Chromium draws it at a
// 1,400 px window, the whole page, written to DIR/<the page's folder name>.png for a report.html
// and DIR/<folder>-<page name>.png for another page (a `check --html` picture). `./dev
// screenshots DIR` runs it on five catalog reports and one history picture, for a person to look
// at.
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "browser.hpp"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: report_screenshots DIR PAGE.html...\n";
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
      std::string name = report.parent_path().filename().string();
      if (report.filename() != "report.html") name += "-" + report.stem().string();
      const std::filesystem::path png = std::filesystem::path(argv[1]) / (name + ".png");
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
