/* plm-gl-program.c: GLSL programs from a version header and sources, for the GL renderers. */
#include "plm-gl-program.h"

static GLuint
compile_shader (GLenum type, const char *header, const char *body, GError **error)
{
  const char *sources[2] = { header, body };
  GLuint shader = glCreateShader (type);
  GLint ok = 0;

  glShaderSource (shader, 2, sources, NULL);
  glCompileShader (shader);
  glGetShaderiv (shader, GL_COMPILE_STATUS, &ok);
  if (!ok)
    {
      char log[2048] = "";
      glGetShaderInfoLog (shader, sizeof log, NULL, log);
      g_set_error (error, GDK_GL_ERROR, GDK_GL_ERROR_COMPILATION_FAILED, "shader: %s", log);
      glDeleteShader (shader);
      return 0;
    }
  return shader;
}

GLuint
plm_gl_link_program (const char *header, const char *vertex, const char *fragment, GError **error)
{
  GLuint vs, fs, program;
  GLint ok = 0;

  if (!(vs = compile_shader (GL_VERTEX_SHADER, header, vertex, error)))
    return 0;
  if (!(fs = compile_shader (GL_FRAGMENT_SHADER, header, fragment, error)))
    {
      glDeleteShader (vs);
      return 0;
    }
  program = glCreateProgram ();
  glAttachShader (program, vs);
  glAttachShader (program, fs);
  glLinkProgram (program);
  glDeleteShader (vs);
  glDeleteShader (fs);
  glGetProgramiv (program, GL_LINK_STATUS, &ok);
  if (!ok)
    {
      char log[2048] = "";
      glGetProgramInfoLog (program, sizeof log, NULL, log);
      g_set_error (error, GDK_GL_ERROR, GDK_GL_ERROR_LINK_FAILED, "shader: %s", log);
      glDeleteProgram (program);
      return 0;
    }
  return program;
}

