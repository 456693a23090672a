// Label and field selector parsing and matching, Kubernetes semantics.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "store/selectors.h"

namespace migmon::store {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using Labels = std::map<std::string, std::string>;

struct LabelCase {
  const char* selector;
  Labels labels;
  bool matches;
};

TEST(LabelSelectorTest, MatchesLikeKubernetes) {
  const Labels app_web = {{"app", "web"}, {"tier", "front"}};
  const LabelCase cases[] = {
      {"", {}, true},
      {"   ", app_web, true},
      {"app=web", app_web, true},
      {"app==web", app_web, true},
      {"app = web", app_web, true},
      {"app=db", app_web, false},
      {"app=web", {}, false},
      {"app!=db", app_web, true},
      {"app!=web", app_web, false},
      {"app!=web", {}, true},  // != also matches objects without the label
      {"app in (web,db)", app_web, true},
      {"app in ( db , web )", app_web, true},
      {"app in (db)", app_web, false},
      {"app in (web)", {}, false},
      {"app notin (db,cache)", app_web, true},
      {"app notin (web)", app_web, false},
      {"app notin (web)", {}, true},
      {"app", app_web, true},
      {"app", {}, false},
      {"!app", app_web, false},
      {"!app", {}, true},
      {"! app", {}, true},
      {"app=web,tier=front", app_web, true},
      {"app=web,tier=back", app_web, false},
      {"app=web,!canary,tier in (front)", app_web, true},
      {"app=", {{"app", ""}}, true},
      {"app=", app_web, false},
      {"app in ()", {{"app", ""}}, true},
      {"kubevirt.io/migrationJobName=job-1", {{"kubevirt.io/migrationJobName", "job-1"}}, true},
      {"a.b_c-d=A.b_1", {{"a.b_c-d", "A.b_1"}}, true},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(LabelSelector::Parse(c.selector).Matches(c.labels), c.matches) << "selector: \"" << c.selector << "\"";
  }
}

TEST(LabelSelectorTest, ParsesRequirements) {
  const LabelSelector s = LabelSelector::Parse("a=1, b!=2, c in (x,y), d notin (z), e, !f");
  ASSERT_EQ(s.requirements().size(), 6u);
  using Op = LabelRequirement::Op;
  EXPECT_EQ(s.requirements()[0].op, Op::kEquals);
  EXPECT_EQ(s.requirements()[0].values, std::vector<std::string>{"1"});
  EXPECT_EQ(s.requirements()[1].op, Op::kNotEquals);
  EXPECT_EQ(s.requirements()[2].op, Op::kIn);
  EXPECT_EQ(s.requirements()[2].values, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(s.requirements()[3].op, Op::kNotIn);
  EXPECT_EQ(s.requirements()[4].op, Op::kExists);
  EXPECT_EQ(s.requirements()[5].op, Op::kDoesNotExist);
  EXPECT_EQ(s.requirements()[5].key, "f");
  EXPECT_TRUE(LabelSelector::Parse("").empty());
  EXPECT_TRUE(LabelSelector().Matches(Labels{}));
}

TEST(LabelSelectorTest, MatchesObjectLabels) {
  const json o = {{"metadata", {{"name", "m"}, {"labels", {{"app", "web"}, {"n", 3}}}}}};
  EXPECT_TRUE(LabelSelector::Parse("app=web").Matches(o));
  EXPECT_FALSE(LabelSelector::Parse("n").Matches(o));  // a non-string value is no label
  EXPECT_FALSE(LabelSelector::Parse("app").Matches(json{{"metadata", {{"name", "m"}}}}));
  EXPECT_TRUE(LabelSelector::Parse("!app").Matches(json::object()));
}

struct ErrorCase {
  const char* selector;
  const char* names;  // the message must contain this
};

TEST(LabelSelectorTest, ErrorsNameTheBadPart) {
  const ErrorCase cases[] = {
      {"=web", "found '='"},
      {"app web", "found 'web'"},
      {"app=web,", "expected a requirement after ','"},
      {",app", "found ','"},
      {"app in web", "expected '(' after the set operator of 'app', found 'web'"},
      {"app in (web", "found end of selector"},
      {"app in (a b)", "found 'b'"},
      {"app notin", "found end of selector"},
      {"app=(x)", "found '('"},
      {"app=web=x", "found '='"},
      {"!", "expected a label key, found end of selector"},
      {"!app=x", "found '='"},
      {"app>3", "operator '>' after key 'app' is not supported"},
      {"-app=x", "invalid label key '-app'"},
      {"Bad_Prefix/app=x", "invalid label key 'Bad_Prefix/app'"},
      // A key's prefix is a DNS-1123 subdomain: no empty part between dots.
      {"a..b/app=x", "invalid label key 'a..b/app'"},
      {"a.-b/app=x", "invalid label key 'a.-b/app'"},
      {"app=-web", "invalid label value '-web'"},
      {"app in (ok,no!)", "found '!'"},
      {"app in (ok,bad.)", "invalid label value 'bad.'"},
  };
  for (const auto& c : cases) {
    try {
      LabelSelector::Parse(c.selector);
      ADD_FAILURE() << "no error for \"" << c.selector << "\"";
    } catch (const std::invalid_argument& e) {
      EXPECT_THAT(e.what(), HasSubstr(c.names)) << "selector: \"" << c.selector << "\"";
      EXPECT_THAT(e.what(), HasSubstr(std::string("\"") + c.selector + "\"")) << "names the whole selector";
    }
  }
  EXPECT_THROW(LabelSelector::Parse(std::string(64, 'a')), std::invalid_argument);
}

TEST(FieldSelectorTest, MatchesNameAndNamespace) {
  struct Case {
    const char* selector;
    const char* ns;
    const char* name;
    bool matches;
  };
  const Case cases[] = {
      {"", "ns", "m1", true},
      {"metadata.name=m1", "ns", "m1", true},
      {"metadata.name==m1", "ns", "m1", true},
      {"metadata.name=m2", "ns", "m1", false},
      {"metadata.name!=m2", "ns", "m1", true},
      {"metadata.name!=m1", "ns", "m1", false},
      {"metadata.namespace=ns", "ns", "m1", true},
      {"metadata.namespace=other", "ns", "m1", false},
      {"metadata.namespace!=other", "ns", "m1", true},
      {"metadata.namespace=ns,metadata.name=m1", "ns", "m1", true},
      {"metadata.namespace=ns,metadata.name=m2", "ns", "m1", false},
      {"metadata.name=", "ns", "", true},
      {"metadata.name=a\\,b", "ns", "a,b", true},
      {"metadata.name=a\\=b", "ns", "a=b", true},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(FieldSelector::Parse(c.selector).Matches(c.ns, c.name), c.matches) << "selector: \"" << c.selector << "\"";
  }
  const json o = {{"metadata", {{"namespace", "ns"}, {"name", "m1"}}}};
  EXPECT_TRUE(FieldSelector::Parse("metadata.name=m1").Matches(o));
  EXPECT_FALSE(FieldSelector::Parse("metadata.namespace=x").Matches(o));
  EXPECT_TRUE(FieldSelector::Parse("metadata.namespace=").Matches(json{{"metadata", {{"name", "node"}}}}));
  EXPECT_TRUE(FieldSelector::Parse("  ").empty());
}

TEST(FieldSelectorTest, ErrorsNameTheFieldOrTerm) {
  const ErrorCase cases[] = {
      {"spec.x=1", "field label not supported: spec.x"},
      {"metadata.name=m,status.phase!=Failed", "field label not supported: status.phase"},
      {"metadata.name", "can't understand 'metadata.name'"},
      {"metadata.name=m,", "can't understand ''"},
      {"metadata.name=a\\b", "invalid escape sequence"},
  };
  for (const auto& c : cases) {
    try {
      FieldSelector::Parse(c.selector);
      ADD_FAILURE() << "no error for \"" << c.selector << "\"";
    } catch (const std::invalid_argument& e) {
      EXPECT_THAT(e.what(), HasSubstr(c.names)) << "selector: \"" << c.selector << "\"";
    }
  }
  try {
    FieldSelector::Parse("spec.x=1");
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "field label not supported: spec.x");
  }
}

}  // namespace
}  // namespace migmon::store
