/*
 * podd-stt: a streaming pocketsphinx decoder driven over stdin/stdout.
 *
 * pocketsphinx_continuous gives no partial hypotheses and cannot be told "the utterance ends
 * now", which a push-to-talk device needs; this ~200-line wrapper gives both.
 *
 * stdin carries framed messages, so audio and control share one pipe (no FIFOs):
 *   'A' <uint32 LE byte count> <16 kHz mono s16le samples>   audio
 *   'E'                                                      end the current utterance now
 *   'Q'                                                      quit
 * stdout carries one JSON object per line:
 *   {"type":"ready"}                           decoder loaded
 *   {"type":"speech-start"}                    pocketsphinx's own VAD heard speech
 *   {"type":"partial","text":"..."}            hypothesis so far (only when it changes)
 *   {"type":"final","text":"...","score":N,"source":"domain"|"general","gap":G}
 *                                              utterance result (own VAD end, or 'E')
 *   {"type":"speech-end"}                      after the final of an utterance that had speech
 *   {"type":"flushed"}                         answer to 'E', always after any final it caused
 *
 * Options before pocketsphinx's own (which follow unchanged, e.g. -hmm -dict -lm -vad_postspeech):
 *   --general-lm <lm> --general-dict <dict>  also run a second decoder with a general English
 *                                            model, and answer with its words when they fit the
 *                                            sound clearly better (see choose_general)
 *   --general-gap <n>                        that margin, in acoustic log-score per frame
 *   --second-pass <t>                        do not run the general decoder live: keep the
 *                                            utterance's audio (up to 30 s) and run it afterwards
 *                                            only when the domain path's acoustic score per frame
 *                                            is below t (see domain_trusted)
 *   --partial-ms <n>                         partial hypothesis interval (default 100)
 *   --no-auto-end                            only 'E' ends an utterance
 */
#include <pocketsphinx.h>
#include <sphinxbase/err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHUNK_BYTES (16000 * 2 * 10)

static ps_decoder_t *ps;        /* domain model: partials, endpointing, usual answer */
static ps_decoder_t *general;   /* optional general English model for out-of-domain speech */
static double general_gap = 40.0;
static int second_pass = 0;     /* general decoder runs over kept audio after the utterance */
static double trust_apf = 0;    /* domain acoustic score per frame at or above this is trusted */
/* An utterance longer than this is not re-decoded: the domain words stand (bounded memory). */
#define KEPT_MAX_SAMPLES (16000 * 30)
static int16 *kept;
static long kept_n = 0;
static int kept_overflow = 0;
static int utt_open = 0;     /* ps_start_utt called, ps_end_utt not yet */
static int had_speech = 0;   /* this utterance contained speech per the decoder's VAD */
static int was_in_speech = 0;
static long samples_since_partial = 0;
static long partial_samples = 1600;
static int auto_end = 1;
static char last_partial[4096];

static void emit_text(const char *type, const char *text, int with_score, int32 score, const char *source, double gap) {
  /* JSON string escaping: the dictionary's words are ASCII, but stay safe for anything. */
  fputs("{\"type\":\"", stdout);
  fputs(type, stdout);
  fputs("\",\"text\":\"", stdout);
  for (const unsigned char *p = (const unsigned char *)(text ? text : ""); *p; p++) {
    if (*p == '"' || *p == '\\') { fputc('\\', stdout); fputc(*p, stdout); }
    else if (*p < 0x20) fprintf(stdout, "\\u%04x", *p);
    else fputc(*p, stdout);
  }
  fputc('"', stdout);
  if (with_score) fprintf(stdout, ",\"score\":%d", (int)score);
  if (source) fprintf(stdout, ",\"source\":\"%s\",\"gap\":%.1f", source, gap);
  fputs("}\n", stdout);
  fflush(stdout);
}

static void emit(const char *type) {
  fprintf(stdout, "{\"type\":\"%s\"}\n", type);
  fflush(stdout);
}

/* Acoustic log-score of the best path and the frames it covers, silences included. */
static double acoustic_per_frame(ps_decoder_t *d) {
  long total = 0;
  int frames = 0;
  for (ps_seg_t *seg = ps_seg_iter(d); seg; seg = ps_seg_next(seg)) {
    int32 ascr, lscr, lback;
    int sf, ef;
    ps_seg_prob(seg, &ascr, &lscr, &lback);
    ps_seg_frames(seg, &sf, &ef);
    total += ascr;
    frames += ef - sf + 1;
  }
  return frames > 0 ? (double)total / frames : 0;
}

/*
 * A domain model forces speech it does not know into its own words; the acoustic score of that
 * forced path is then much worse than the general model's. Speech the domain model knows scores
 * about the same under both, and the domain words are more accurate, so they win ties.
 */
static double general_advantage(void) {
  return acoustic_per_frame(general) - acoustic_per_frame(ps);
}

static void decode_kept(ps_decoder_t *d) {
  ps_start_utt(d);
  for (long o = 0; o < kept_n; o += 16000) {
    long n = kept_n - o < 16000 ? kept_n - o : 16000;
    ps_process_raw(d, kept + o, (size_t)n, FALSE, FALSE);
  }
  ps_end_utt(d);
}

/*
 * Second-pass mode's cheap test: forcing unknown speech into domain words drags the domain
 * path's acoustic score per frame down; known speech keeps it high. The score also depends on
 * the voice, so the test only decides who pays for the general decoder: an in-domain utterance
 * judged untrusted still keeps its domain words unless the general model wins by the gap.
 * A phone loop as the reference (allphone, CI phones) separated the two sets no better.
 */
static int domain_trusted(double domain_apf) {
  return domain_apf >= trust_apf;
}


static void finish_utterance(void) {
  if (!utt_open) return;
  ps_end_utt(ps);
  if (general && !second_pass) ps_end_utt(general);
  utt_open = 0;
  int32 score = 0;
  const char *hyp = ps_get_hyp(ps, &score);
  const char *source = general ? "domain" : NULL;
  double gap = 0;
  int ran_general = general && !second_pass;
  double dapf = 0;
  if (second_pass && (had_speech || (hyp && *hyp))) {
    dapf = acoustic_per_frame(ps);
    if (!kept_overflow && kept_n > 0 && !domain_trusted(dapf)) {
      decode_kept(general);
      ran_general = 1;
    }
  }
  if (ran_general && (had_speech || (hyp && *hyp))) {
    gap = general_advantage();
    int32 gscore = 0;
    const char *ghyp = ps_get_hyp(general, &gscore);
    if (gap > general_gap && ghyp && *ghyp) { hyp = ghyp; score = gscore; source = "general"; }
  }
  /* An utterance without speech is not a turn: say nothing, as pocketsphinx_continuous does. */
  if (had_speech || (hyp && *hyp)) {
    emit_text("final", hyp, 1, score, source, gap);
    if (getenv("PODD_STT_DEBUG")) fprintf(stderr, "second-pass domain_apf=%.2f second=%d gap=%.2f\n", dapf, ran_general, gap);
    emit("speech-end");
  }
  kept_n = 0;
  kept_overflow = 0;
  had_speech = 0;
  was_in_speech = 0;
  samples_since_partial = 0;
  last_partial[0] = 0;
}

/*
 * An utterance stays open through any silence before its speech; when that fills the buffer,
 * only its last second is kept (more than the VAD's pre-speech window). Not trimmed sooner:
 * a chunk may hold a whole utterance whose speech the end-of-chunk VAD state never showed.
 */
static void keep_audio(const int16 *buf, size_t n) {
  if (kept_overflow) return;
  if (!had_speech && kept_n + (long)n > KEPT_MAX_SAMPLES && kept_n > 16000) {
    memmove(kept, kept + kept_n - 16000, 16000 * sizeof *kept);
    kept_n = 16000;
  }
  if (kept_n + (long)n > KEPT_MAX_SAMPLES) { kept_overflow = 1; return; }
  memcpy(kept + kept_n, buf, n * sizeof *buf);
  kept_n += (long)n;
}

static void process_audio(int16 *buf, size_t n) {
  if (!utt_open) {
    if (ps_start_utt(ps) < 0 || (general && !second_pass && ps_start_utt(general) < 0)) { fprintf(stderr, "start_utt failed\n"); exit(3); }
    utt_open = 1;
  }
  ps_process_raw(ps, buf, n, FALSE, FALSE);
  if (general && !second_pass) ps_process_raw(general, buf, n, FALSE, FALSE);
  int in_speech = ps_get_in_speech(ps);
  if (in_speech && !was_in_speech && !had_speech) {
    had_speech = 1;
    emit("speech-start");
  }
  if (in_speech) {
    samples_since_partial += (long)n;
    if (samples_since_partial >= partial_samples) {
      samples_since_partial = 0;
      int32 score;
      const char *hyp = ps_get_hyp(ps, &score);
      if (hyp && *hyp && strncmp(hyp, last_partial, sizeof last_partial - 1) != 0) {
        strncpy(last_partial, hyp, sizeof last_partial - 1);
        emit_text("partial", hyp, 0, 0, NULL, 0);
      }
    }
  }
  if (second_pass) keep_audio(buf, n);
  if (auto_end && was_in_speech && !in_speech) finish_utterance();
  else was_in_speech = in_speech;
}

static int read_exact(void *dst, size_t n) {
  return fread(dst, 1, n, stdin) == n ? 0 : -1;
}

int main(int argc, char **argv) {
  const char *general_lm = NULL, *general_dict = NULL;
  int i = 1;
  for (; i < argc; i++) {
    if (!strcmp(argv[i], "--general-lm") && i + 1 < argc) general_lm = argv[++i];
    else if (!strcmp(argv[i], "--general-dict") && i + 1 < argc) general_dict = argv[++i];
    else if (!strcmp(argv[i], "--general-gap") && i + 1 < argc) general_gap = atof(argv[++i]);
    else if (!strcmp(argv[i], "--second-pass") && i + 1 < argc) { second_pass = 1; trust_apf = atof(argv[++i]); }
    else if (!strcmp(argv[i], "--partial-ms") && i + 1 < argc) partial_samples = atol(argv[++i]) * 16;
    else if (!strcmp(argv[i], "--no-auto-end")) auto_end = 0;
    else if (!strcmp(argv[i], "--")) { i++; break; }
    else break;
  }
  /* pocketsphinx's INFO chatter would otherwise fill stderr per stream. */
  if (!getenv("PODD_STT_DEBUG")) err_set_logfp(NULL);
  /* cmd_ln treats a leading argument that starts with '-' as an option, so hand it argv[0]. */
  argv[i - 1] = argv[0];
  cmd_ln_t *config = cmd_ln_parse_r(NULL, ps_args(), argc - i + 1, argv + i - 1, TRUE);
  if (!config) { fprintf(stderr, "bad pocketsphinx arguments\n"); return 2; }
  ps = ps_init(config);
  if (!ps) { fprintf(stderr, "decoder init failed\n"); return 2; }
  if (general_lm && general_dict) {
    cmd_ln_t *gconfig = cmd_ln_parse_r(NULL, ps_args(), argc - i + 1, argv + i - 1, TRUE);
    if (!gconfig) return 2;
    cmd_ln_set_str_r(gconfig, "-lm", general_lm);
    cmd_ln_set_str_r(gconfig, "-dict", general_dict);
    /* A language weight raised for the small domain model over-trusts the big one. */
    cmd_ln_set_float_r(gconfig, "-lw", 6.5);
    general = ps_init(gconfig);
    if (!general) { fprintf(stderr, "general decoder init failed\n"); return 2; }
  }
  if (!general) second_pass = 0;
  if (second_pass && !(kept = malloc(KEPT_MAX_SAMPLES * sizeof *kept))) { fprintf(stderr, "out of memory\n"); return 2; }
  emit("ready");

  static int16 buf[MAX_CHUNK_BYTES / 2];
  for (;;) {
    int type = fgetc(stdin);
    if (type == EOF || type == 'Q') break;
    if (type == 'E') { finish_utterance(); emit("flushed"); continue; }
    if (type != 'A') { fprintf(stderr, "bad message type %d\n", type); return 4; }
    unsigned char lenb[4];
    if (read_exact(lenb, 4) < 0) break;
    uint32_t len = (uint32_t)lenb[0] | ((uint32_t)lenb[1] << 8) | ((uint32_t)lenb[2] << 16) | ((uint32_t)lenb[3] << 24);
    if (len > MAX_CHUNK_BYTES || (len & 1)) { fprintf(stderr, "bad audio length\n"); return 4; }
    if (read_exact(buf, len) < 0) break;
    process_audio(buf, len / 2);
  }
  finish_utterance();
  if (general) ps_free(general);
  ps_free(ps);
  return 0;
}
