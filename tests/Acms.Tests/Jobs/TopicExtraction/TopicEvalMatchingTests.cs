namespace Acms.Tests.Jobs.TopicExtraction;

public sealed class TopicEvalMatchingTests
{
    [Theory]
    [InlineData("aws", "amazon-web-services")]
    [InlineData("Postgres", "postgresql")]
    [InlineData("k8s", "kubernetes")]
    [InlineData("kubernetes-ingress", "kubernetes")]
    [InlineData("feature-flag", "feature-flags")]
    [InlineData("n-plus-one-query", "n-plus-one-queries")]
    [InlineData("s3", "amazon-s3")]
    [InlineData("C#", "csharp")]
    public void Names_the_eval_author_folds_match(string predicted, string gold) =>
        Assert.True(TopicEvalMatching.Matches(predicted, gold), $"{predicted} ~ {gold}");

    [Theory]
    [InlineData("machine-learning", "scikit-learn")]
    [InlineData("customer-support", "zendesk")]
    [InlineData("connection-pooling", "pgbouncer")]
    [InlineData("mysql", "mariadb")]
    [InlineData("angular", "angularjs")]
    public void A_category_does_not_stand_for_a_product_it_contains(string predicted, string gold) =>
        Assert.False(TopicEvalMatching.Matches(predicted, gold), $"{predicted} ~ {gold}");
}
