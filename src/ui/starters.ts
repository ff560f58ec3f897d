/** The file a language opens with when the user picks it and the project has none. */
export const STARTERS = {
  python: { file: 'main.py', code: 'print("Hello from Isobox!")\n' },
  ruby: { file: 'main.rb', code: 'puts "Hello from Ruby!"\n' },
  c: { file: 'main.c', code: '#include <stdio.h>\n\nint main(void) {\n    printf("Hello from C!\\n");\n    return 0;\n}\n' },
  cpp: { file: 'main.cpp', code: '#include <iostream>\n\nint main() {\n    std::cout << "Hello from C++!" << std::endl;\n    return 0;\n}\n' },
} as const;
