{
  "targets": [
    {
      "target_name": "custos_native",
      "sources": ["src/addon.cc", "src/pdq_downscale.cc", "src/blockhash.cc", "src/box_shrink.cc", "src/stream_rows.cc", "src/hamming_index.cc", "src/key_sort.cc", "src/md5_lanes.cc", "src/sha_ni.cc", "src/vics_pack.cc", "src/json_split.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS"],
      "cflags_cc": ["-std=c++17", "-O3", "-ffp-contract=off", "-fno-fast-math", "-Wno-psabi"],
      "cflags_cc!": ["-fno-exceptions"],
      "xcode_settings": {
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "OTHER_CPLUSPLUSFLAGS": ["-O3", "-ffp-contract=off"]
      },
      "msvs_settings": { "VCCLCompilerTool": { "AdditionalOptions": ["/std:c++17", "/O2", "/fp:precise"] } }
    },
    {
      "target_name": "custos_rows",
      "sources": ["src/sqlite_rows.c", "src/sqlite_rds.c"],
      "include_dirs": ["<!(node -p \"require('path').join(require('path').dirname(require.resolve('better-sqlite3-multiple-ciphers/package.json')), 'deps', 'sqlite3')\")"],
      "cflags": ["-O2", "-std=c11", "-D_GNU_SOURCE"],
      "msvs_settings": { "VCCLCompilerTool": { "AdditionalOptions": ["/O2"] } }
    }
  ]
}
